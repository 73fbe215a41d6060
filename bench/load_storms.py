#!/usr/bin/python3
"""load_storms.py ISSUES.jsonl DB [--comments K] — stream `aggregate synth` output into a
firstmile database (repositories and issues only), for corpora too large to import in one
`import issues` run, which checks every file before writing. The database must exist (run any
firstmile command on it first, e.g. `firstmile import issues` of a tiny file, so the schema is
there).

--comments K gives every issue K "me too" comments that quote its own body (the shape of the
commonest follow-up on these trackers: another user pasting the same traceback). The synthetic
storms have no comments, so without this the benchmark never reads a comment; K is chosen, not
measured, and quoting the report's own text keeps its signatures, so pairs and F1 barely move."""
import json
import sqlite3
import sys

args = sys.argv[1:]
comments_per_issue = 0
if "--comments" in args:
    i = args.index("--comments")
    comments_per_issue = int(args[i + 1])
    del args[i:i + 2]
db = sqlite3.connect(args[1])
repos = {}
rows = []
texts = []


def flush():
    db.executemany("INSERT OR IGNORE INTO issues (repository_id, number, title, body, state, created_at, updated_at, url, "
                   "labels, fetched_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, '[]', ?)", rows)
    if comments_per_issue:
        comments = []
        for repo_id, number, body, created in texts:
            issue_id = db.execute("SELECT id FROM issues WHERE repository_id = ? AND number = ?",
                                  (repo_id, number)).fetchone()[0]
            for k in range(comments_per_issue):
                comments.append((issue_id, "user%d" % k, "NONE", "Same here, on my machine too:\n\n" + (body or ""),
                                 created, created))
        db.executemany("INSERT INTO comments (issue_id, author, author_association, body, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", comments)
    rows.clear()
    texts.clear()


with open(args[0], encoding="utf-8") as f:
    for line in f:
        j = json.loads(line)
        owner, name = j["html_url"].split("/")[3:5]
        key = (owner, name)
        if key not in repos:
            db.execute("INSERT OR IGNORE INTO repositories (owner, name) VALUES (?, ?)", key)
            repos[key] = db.execute("SELECT id FROM repositories WHERE owner = ? AND name = ?", key).fetchone()[0]
        rows.append((repos[key], j["number"], j["title"], j["body"], j["created_at"], j["updated_at"], j["html_url"], j["created_at"]))
        texts.append((repos[key], j["number"], j["body"], j["created_at"]))
        if len(rows) >= 50000:
            flush()
flush()
db.commit()
