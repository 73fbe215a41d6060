#!/usr/bin/python3
"""Baseline for bench/gharchive.sh: the straightforward Python way to load GH Archive issue
events into SQLite (gzip + json + sqlite3 from the standard library), doing the same work as
`firstmile import gharchive`: stream every file line by line, skip non-issue events by a
substring test before parsing (the same shortcut firstmile takes), parse the rest, keep the
newest copy of each issue (by updated_at), upsert comments, delete deleted comments, all in one
transaction.

Usage: bench/baseline_gharchive.py DB FILE.json.gz... [--repo OWNER/NAME]...
"""
import gzip
import json
import os
import sqlite3
import sys

args = sys.argv[1:]
repos = {args[i + 1].lower() for i, a in enumerate(args) if a == "--repo"}
paths = [a for i, a in enumerate(args) if a != "--repo" and (i == 0 or args[i - 1] != "--repo")]
db_path, files = paths[0], paths[1:]
if os.path.exists(db_path):
    os.remove(db_path)
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.executescript("""
CREATE TABLE repositories (id INTEGER PRIMARY KEY, owner TEXT, name TEXT, UNIQUE(owner, name));
CREATE TABLE issues (id INTEGER PRIMARY KEY, repository_id INTEGER, number INTEGER, github_id INTEGER,
  title TEXT, body TEXT, state TEXT, author TEXT, labels TEXT, is_pull_request INTEGER, created_at TEXT,
  updated_at TEXT, closed_at TEXT, url TEXT, UNIQUE(repository_id, number));
CREATE TABLE comments (id INTEGER PRIMARY KEY, github_id INTEGER UNIQUE, issue_id INTEGER, author TEXT,
  body TEXT, created_at TEXT, updated_at TEXT, url TEXT);
""")
repo_ids = {}
issues = events = 0
with db:
    for path in files:
        with gzip.open(path, "rb") as f:
            for line in f:
                if b'"IssuesEvent"' not in line and b'"IssueCommentEvent"' not in line:
                    continue
                e = json.loads(line)
                if e["type"] not in ("IssuesEvent", "IssueCommentEvent"):
                    continue
                name = e["repo"]["name"]
                if repos and name.lower() not in repos:
                    continue
                p = e["payload"]
                if isinstance(p, str):
                    p = json.loads(p)
                owner, repo = name.split("/", 1)
                rid = repo_ids.get(name)
                if rid is None:
                    db.execute("INSERT OR IGNORE INTO repositories (owner, name) VALUES (?, ?)", (owner, repo))
                    rid = db.execute("SELECT id FROM repositories WHERE owner=? AND name=?", (owner, repo)).fetchone()[0]
                    repo_ids[name] = rid
                i = p["issue"]
                url = i.get("html_url") or f"https://github.com/{name}/issues/{i['number']}"
                db.execute(
                    "INSERT INTO issues (repository_id, number, github_id, title, body, state, author, labels, "
                    "is_pull_request, created_at, updated_at, closed_at, url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (repository_id, number) DO UPDATE SET github_id=excluded.github_id, "
                    "title=excluded.title, body=excluded.body, state=excluded.state, author=excluded.author, "
                    "labels=excluded.labels, is_pull_request=excluded.is_pull_request, created_at=excluded.created_at, "
                    "updated_at=excluded.updated_at, closed_at=excluded.closed_at, url=excluded.url "
                    "WHERE excluded.updated_at >= issues.updated_at",
                    (rid, i["number"], i.get("id"), i.get("title"), i.get("body"), i.get("state"),
                     (i.get("user") or {}).get("login"), json.dumps([l["name"] for l in i.get("labels") or []]),
                     1 if i.get("pull_request") else 0, i.get("created_at"), i.get("updated_at"), i.get("closed_at"), url))
                events += 1
                issues += 1
                if e["type"] == "IssueCommentEvent":
                    c = p["comment"]
                    if p.get("action") == "deleted":
                        db.execute("DELETE FROM comments WHERE github_id=?", (c["id"],))
                        continue
                    iid = db.execute("SELECT id FROM issues WHERE repository_id=? AND number=?",
                                     (rid, i["number"])).fetchone()[0]
                    db.execute(
                        "INSERT INTO comments (github_id, issue_id, author, body, created_at, updated_at, url) "
                        "VALUES (?,?,?,?,?,?,?) ON CONFLICT (github_id) DO UPDATE SET issue_id=excluded.issue_id, "
                        "author=excluded.author, body=excluded.body, created_at=excluded.created_at, "
                        "updated_at=excluded.updated_at, url=excluded.url WHERE excluded.updated_at >= comments.updated_at",
                        (c["id"], iid, (c.get("user") or {}).get("login"), c.get("body"), c.get("created_at"),
                         c.get("updated_at"), c.get("html_url")))
print(f"{events} events, {issues} issues, {len(repo_ids)} repositories")
