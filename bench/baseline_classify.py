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
FACTOR = {"title": 1.5, "prose": 1.0, "code": 1.0, "errors": 1.5, "comments": 0.5, "resolution": 2.0, "environment": 0.5}


def load_json(path):
    text = "\n".join(line for line in open(path, encoding="utf-8") if not line.lstrip().startswith("//"))
    return json.loads(text)


tax = load_json(os.path.join(root, "taxonomy", "taxonomy.json"))
parent = {n["id"]: n.get("parent", "") for n in tax["nodes"]}
dim_of = {}
for n in tax["nodes"]:  # parents come first; children inherit the dimension
    dim_of[n["id"]] = n.get("dimension") or dim_of[n["parent"]]
rules, priors, given = [], {}, None
for path in sorted(glob.glob(os.path.join(root, "taxonomy", "rules", "*.json"))):
    doc = load_json(path)
    priors.update(doc.get("priors", {}))
    given = doc.get("given", given)
    for r in doc.get("rules", []):
        pattern = "|".join(f"(?:{p})" for p in r["patterns"]).replace("(?-i:", "(?:")
        flags = 0 if r.get("case_sensitive") else re.I
        rules.append((r["target"], r.get("weight", 1.0), r["fields"], re.compile(pattern, flags | re.M)))

FENCE = re.compile(r"^ {0,3}(```|~~~)")
ERROR = re.compile(r"^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception)\s*:|CUDA (?:error|out of memory)|NCCL error|Segmentation fault")


HEADING = re.compile(r"^\s*(?:#+\s*)?(?:environment|system info(?:rmation)?|versions?|hardware|环境)\s*[:：]?\s*$", re.I)
SENTENCE = re.compile(r"[^\n.!?。！？]+(?:[.!?](?=\s|$)[^\n.!?。！？]*)*", re.M)
MARKER = re.compile(r"\b(?:solved|resolved|fixed|fixes|the (?:fix|solution|cause) (?:is|was)|caused by|due to|because|turned out|"
                    r"went away|helped|works? (?:now|again|fine|after|with)|worked|succeeded|made it work|"
                    r"(?:maintainers?|developers?) (?:replied|said|suggested|explained|pointed out|told))\b|解决|修复|原因是", re.I)


def features(title, body):
    prose, code, errors, environment, fenced, inventory = [], [], [], [], False, 0
    for line in body.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            if len(line) <= 48 and HEADING.match(line):
                inventory = 1
                continue
            if not line.strip():
                inventory = 0 if inventory == 2 else inventory
            elif inventory:
                inventory = 2
                environment.append(line)
                continue
        is_error = bool(ERROR.search(line))
        (code if fenced or is_error or line.startswith("    ") else prose).append(line)
        if is_error:
            errors.append(line.strip())
    prose = "\n".join(prose)
    resolution = "\n".join(m.group(0) for m in SENTENCE.finditer(prose) if MARKER.search(m.group(0)))
    return {"title": title, "prose": prose, "code": "\n".join(code), "errors": "\n".join(errors), "comments": "",
            "resolution": resolution, "environment": "\n".join(environment)}


def start_of_root_cause(symptom, stage):
    """The root-cause scores the "given" priors start from: the deepest cell on the symptom's path."""
    path = []
    while symptom:
        path.insert(0, symptom)
        symptom = parent[symptom]
    for s in list(reversed(path)) + [""]:
        for c in given["cells"]:
            if c["symptom"] == s and c["stage"] == stage:
                start = {}
                for node, p in c["p"].items():
                    top = node
                    while parent[top]:
                        top = parent[top]
                    start[top] = start.get(top, 0) + given["weight"] * p
                    if top != node:
                        start[node] = start.get(node, 0) + 0.5 * given["weight"] * p
                return start
    return None


def decide(scores, dimension):
    rolled = {}
    for node in reversed([n["id"] for n in tax["nodes"] if dim_of[n["id"]] == dimension]):
        rolled[node] = rolled.get(node, 0) + scores.get(node, 0)
        p = parent[node]
        if p:
            rolled[p] = max(rolled.get(p, 0), rolled[node])
    tops = [n for n in rolled if not parent[n]]
    best = max(tops, key=lambda n: rolled[n])
    while True:  # down while a child has evidence
        children = [n for n in rolled if parent[n] == best and rolled[n] > 0]
        if not children:
            return best
        best = max(children, key=lambda n: rolled[n])


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
    stage, symptom = decide(scores, "stage"), decide(scores, "symptom")
    start = start_of_root_cause(symptom, stage) if given else None
    if start is not None:
        for node in list(scores):
            if dim_of.get(node) == "root_cause":
                scores[node] -= priors.get(node, 0)
        for node, v in start.items():
            scores[node] = scores.get(node, 0) + v
    out.append((issue_id, stage, symptom, decide(scores, "root_cause")))
db.execute("CREATE TABLE IF NOT EXISTS baseline_labels (issue_id INTEGER PRIMARY KEY, stage TEXT, symptom TEXT, root_cause TEXT)")
db.executemany("INSERT OR REPLACE INTO baseline_labels VALUES (?, ?, ?, ?)", out)
db.commit()
print(len(out))
