#!/usr/bin/python3
"""load_storms.py ISSUES.jsonl DB — stream `aggregate synth` output into a firstmile database
(repositories and issues only), for corpora too large to import in one `import issues` run,
which checks every file before writing. The database must exist (run any firstmile command
on it first, e.g. `firstmile import issues` of a tiny file, so the schema is there)."""
import json
import sqlite3
import sys

db = sqlite3.connect(sys.argv[2])
repos = {}
rows = []


def flush():
    db.executemany("INSERT OR IGNORE INTO issues (repository_id, number, title, body, state, created_at, updated_at, url, "
                   "labels, fetched_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, '[]', ?)", rows)
    rows.clear()


with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        j = json.loads(line)
        owner, name = j["html_url"].split("/")[3:5]
        key = (owner, name)
        if key not in repos:
            db.execute("INSERT OR IGNORE INTO repositories (owner, name) VALUES (?, ?)", key)
            repos[key] = db.execute("SELECT id FROM repositories WHERE owner = ? AND name = ?", key).fetchone()[0]
        rows.append((repos[key], j["number"], j["title"], j["body"], j["created_at"], j["updated_at"], j["html_url"], j["created_at"]))
        if len(rows) >= 50000:
            flush()
flush()
db.commit()
