#!/usr/bin/env python3
"""Baseline for bench/import_dataset.sh: the straightforward Python way to load the published
dataset into SQLite (json + sqlite3 from the standard library), doing comparable work:
read every file, split and normalise labels, insert repositories, issues and annotations in
one transaction."""
import glob
import json
import os
import re
import sqlite3
import sys

dataset, db_path = sys.argv[1], sys.argv[2]
if os.path.exists(db_path):
    os.remove(db_path)
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.executescript("""
CREATE TABLE repositories (id INTEGER PRIMARY KEY, owner TEXT, name TEXT, series TEXT, model TEXT,
                           UNIQUE(owner, name));
CREATE TABLE issues (id INTEGER PRIMARY KEY, repository_id INTEGER, number INTEGER, url TEXT, state TEXT,
                     UNIQUE(repository_id, number));
CREATE TABLE annotations (id INTEGER PRIMARY KEY, issue_id INTEGER, failure_index INTEGER, source TEXT,
                          symptom TEXT, root_cause TEXT, stage TEXT, evidence TEXT);
""")
series = {"deepseek-ai": "DeepSeek", "meta-llama": "Llama", "QwenLM": "Qwen"}
link_re = re.compile(r"https://github\.com/([^/]+)/([^/]+)/issues/(\d+)$")
norm = lambda label: " - ".join(" ".join(p.split()) for p in re.split(r"\s-\s", label))
failures = {}
with db:
    for path in sorted(glob.glob(os.path.join(dataset, "**", "*.json"), recursive=True)):
        for i, r in enumerate(json.load(open(path, encoding="utf-8"))):
            owner, name, number = link_re.match(r["link"]).groups()
            db.execute("INSERT OR IGNORE INTO repositories (owner, name, series, model) VALUES (?,?,?,?)",
                       (owner, name, series.get(owner, owner), r["model"]))
            repo = db.execute("SELECT id FROM repositories WHERE owner=? AND name=?", (owner, name)).fetchone()[0]
            db.execute("INSERT OR IGNORE INTO issues (repository_id, number, url, state) VALUES (?,?,?,?)",
                       (repo, int(number), r["link"], r["status"]))
            issue = db.execute("SELECT id FROM issues WHERE repository_id=? AND number=?",
                               (repo, int(number))).fetchone()[0]
            failures[issue] = failures.get(issue, 0) + 1
            db.execute("INSERT INTO annotations (issue_id, failure_index, source, symptom, root_cause, stage, evidence)"
                       " VALUES (?,?,?,?,?,?,?)",
                       (issue, failures[issue], "gold:open-llm-failures", norm(r["SYMPTOM"]), norm(r["ROOT CAUSE"]),
                        norm(r["STAGE"]), json.dumps({"file": path, "record": i + 1})))
print(db.execute("SELECT count(*) FROM annotations").fetchone()[0], "annotations")
