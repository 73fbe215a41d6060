#!/usr/bin/env python3
"""Baseline for bench/git_synth.sh: the straightforward way to load a git history into SQLite
without libgit2 — `git log --numstat` (first-parent diffs of merges, renames found) read from a
pipe by Python's sqlite3, in one transaction: commits with authors, UTC dates, message and
totals, one row per changed file, issue links found by a regex, and the tags from
`git for-each-ref`. It does a little less than firstmile (numstat gives no added/deleted status)."""
import re
import sqlite3
import subprocess
import sys
import time

repo, db_path, owner, name = sys.argv[1:5]
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.executescript("""
CREATE TABLE IF NOT EXISTS commits (id INTEGER PRIMARY KEY, sha TEXT UNIQUE, author_name TEXT, author_email TEXT,
  authored_at TEXT, committer_name TEXT, committer_email TEXT, committed_at TEXT, message TEXT, parents INTEGER,
  files_changed INTEGER, insertions INTEGER, deletions INTEGER);
CREATE TABLE IF NOT EXISTS commit_files (commit_id INTEGER, path TEXT, status TEXT, old_path TEXT,
  insertions INTEGER, deletions INTEGER, PRIMARY KEY (commit_id, path));
CREATE TABLE IF NOT EXISTS commit_issue_links (commit_id INTEGER, owner TEXT, name TEXT, number INTEGER, kind TEXT,
  PRIMARY KEY (commit_id, owner, name, number));
CREATE TABLE IF NOT EXISTS tags (name TEXT PRIMARY KEY, sha TEXT, tagged_at TEXT, tagger TEXT, message TEXT);
""")
utc = lambda seconds: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(seconds)))
link_re = re.compile(r"(?i)(?:^|[^\w/#&?=.@-])(?:(close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+)?"
                     r"(?:https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)/(?:issues|pull)/(\d+)"
                     r"|([\w.-]+)/([\w.-]+)#(\d+)|#(\d+))\b")
brace_re = re.compile(r"^(.*)\{(.*) => (.*)\}(.*)$")
known = {sha for (sha,) in db.execute("SELECT sha FROM commits")}


def renamed(path):
    m = brace_re.match(path)
    if m:
        pre, old, new, post = m.groups()
        return (pre + old + post).replace("//", "/"), (pre + new + post).replace("//", "/")
    old, new = path.split(" => ")
    return old, new


def store(header, message, numstat):
    sha, an, ae, at, cn, ce, ct, parents = header.split("\x1f")
    if sha in known:
        return
    files = []
    for line in numstat:
        ins, dels, path = line.split("\t", 2)
        old = None
        if " => " in path:
            old, path = renamed(path)
        files.append((path, "renamed" if old else "modified", old,
                      None if ins == "-" else int(ins), None if dels == "-" else int(dels)))
    cur = db.execute("INSERT INTO commits (sha, author_name, author_email, authored_at, committer_name, "
                     "committer_email, committed_at, message, parents, files_changed, insertions, deletions) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (sha, an, ae, utc(at), cn, ce, utc(ct), message, len(parents.split()), len(files),
                      sum(f[3] or 0 for f in files), sum(f[4] or 0 for f in files)))
    cid = cur.lastrowid
    db.executemany("INSERT INTO commit_files VALUES (?,?,?,?,?,?)", [(cid,) + f for f in files])
    links = {}
    for m in link_re.finditer(message):
        g = m.groups()
        o, n, num = (g[1], g[2], g[3]) if g[3] else (g[4], g[5], g[6]) if g[6] else (owner, name, g[7])
        key = (o.lower(), n.lower(), int(num))
        kind = "closes" if g[0] else "mentions"
        if key not in links or kind == "closes":
            links[key] = (o, n, int(num), kind if key not in links or kind == "closes" else links[key][3])
    db.executemany("INSERT INTO commit_issue_links VALUES (?,?,?,?,?)", [(cid,) + l for l in links.values()])


fmt = "%x00%H%x1f%an%x1f%ae%x1f%at%x1f%cn%x1f%ce%x1f%ct%x1f%P%x1e%B%x1e"
log = subprocess.Popen(["git", "-C", repo, "log", "--numstat", "-M", "--diff-merges=first-parent",
                        "--topo-order", "--format=" + fmt, "HEAD"], stdout=subprocess.PIPE)
with db:
    text = log.stdout.read().decode("utf-8", "replace")
    for record in text.split("\x00")[1:]:
        header, message, numstat = record.split("\x1e", 2)
        store(header, message, [l for l in numstat.split("\n") if l.strip()])
    log.wait()
    refs = subprocess.run(["git", "-C", repo, "for-each-ref", "refs/tags",
                           "--format=%(refname:short)%1f%(*objectname)%(objectname)%1f%(taggerdate:unix)"
                           "%(*committerdate:unix)%(committerdate:unix)%1f%(taggername)%1f%(contents)%1e"],
                          capture_output=True, text=True, check=True).stdout
    for r in refs.split("\x1e"):
        if not r.strip():
            continue
        tag, sha, when, tagger, message = r.strip("\n").split("\x1f")
        db.execute("INSERT OR REPLACE INTO tags VALUES (?,?,?,?,?)",
                   (tag, sha[:40], utc(when[:10]), tagger or None, message or None))
