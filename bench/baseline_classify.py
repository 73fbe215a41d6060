#!/usr/bin/python3
"""baseline_classify.py DB — the straightforward way to apply firstmile's rule files: Python's re,
one compiled pattern per rule, every rule tried on every field of every issue, the same
roll-up and decision, labels written back with sqlite3. For bench/classify.sh."""
import glob
import json
import os
import re
import sqlite3
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
FACTOR = {"title": 1.5, "prose": 1.0, "code": 1.0, "errors": 1.5, "comments": 0.5}


def load_json(path):
    text = "\n".join(line for line in open(path, encoding="utf-8") if not line.lstrip().startswith("//"))
    return json.loads(text)


tax = load_json(os.path.join(root, "taxonomy", "taxonomy.json"))
parent = {n["id"]: n.get("parent", "") for n in tax["nodes"]}
dim_of = {}
for n in tax["nodes"]:  # parents come first; children inherit the dimension
    dim_of[n["id"]] = n.get("dimension") or dim_of[n["parent"]]
rules, priors = [], {}
for path in sorted(glob.glob(os.path.join(root, "taxonomy", "rules", "*.json"))):
    doc = load_json(path)
    priors.update(doc.get("priors", {}))
    for r in doc["rules"]:
        pattern = "|".join(f"(?:{p})" for p in r["patterns"]).replace("(?-i:", "(?:")
        flags = 0 if r.get("case_sensitive") else re.I
        rules.append((r["target"], r.get("weight", 1.0), r["fields"], re.compile(pattern, flags | re.M)))

FENCE = re.compile(r"^ {0,3}(```|~~~)")
ERROR = re.compile(r"^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)\s*:|CUDA (?:error|out of memory)|NCCL error|Segmentation fault")


def features(title, body):
    prose, code, errors, fenced = [], [], [], False
    for line in body.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            continue
        is_error = bool(ERROR.search(line))
        (code if fenced or is_error or line.startswith("    ") else prose).append(line)
        if is_error:
            errors.append(line.strip())
    return {"title": title, "prose": "\n".join(prose), "code": "\n".join(code), "errors": "\n".join(errors), "comments": ""}


def decide(scores, dimension):
    rolled = {}
    for node in reversed([n["id"] for n in tax["nodes"] if dim_of[n["id"]] == dimension]):
        rolled[node] = rolled.get(node, 0) + scores.get(node, 0)
        p = parent[node]
        if p:
            rolled[p] = max(rolled.get(p, 0), rolled[node])
    tops = [n for n in rolled if not parent[n]]
    best = max(tops, key=lambda n: rolled[n])
    return best


db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT id, title, coalesce(body, '') FROM issues WHERE title IS NOT NULL").fetchall()
out = []
for issue_id, title, body in rows:
    f = features(title, body)
    scores = dict(priors)
    for target, weight, fields, rx in rules:
        w = max((weight * FACTOR[x] for x in fields if f[x] and rx.search(f[x])), default=0)
        if w:
            scores[target] = scores.get(target, 0) + w
    out.append((issue_id, decide(scores, "stage"), decide(scores, "symptom"), decide(scores, "root_cause")))
db.execute("CREATE TABLE IF NOT EXISTS baseline_labels (issue_id INTEGER PRIMARY KEY, stage TEXT, symptom TEXT, root_cause TEXT)")
db.executemany("INSERT OR REPLACE INTO baseline_labels VALUES (?, ?, ?, ?)", out)
db.commit()
print(len(out))
