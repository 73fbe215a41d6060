#!/usr/bin/python3
"""classify_corpus.py N OUT.jsonl — N realistic issue reports for the classification benchmark.

Built from real report texts: the cards in ../shared/cards (when present) and the embedded
sample in data/sample, cycled and renumbered over 20 synthetic repositories, with a varying
number in each title and body so no two texts are identical. Deterministic.
"""
import json
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
n, out = int(sys.argv[1]), sys.argv[2]
texts = []
cards = os.path.join(root, "..", "shared", "cards", "dev-issues.json")
if os.path.exists(cards):
    texts += [(c["title"], c.get("body") or "") for c in json.load(open(cards))]
texts += [(i["title"], i.get("body") or "") for i in json.load(open(os.path.join(root, "data", "sample", "issues.json")))]
rng = random.Random(7)
with open(out, "w") as f:
    for k in range(n):
        title, body = texts[k % len(texts)]
        v = rng.randint(1, 99999)
        repo = f"bench{k % 20}/model"
        f.write(json.dumps({
            "number": k + 1,
            "title": f"{title} ({v})",
            "body": f"{body}\n\nSeen again with build {v}.",
            "state": "open",
            "user": {"login": "u"},
            "labels": [],
            "comments": 0,
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "html_url": f"https://github.com/{repo}/issues/{k + 1}",
        }, ensure_ascii=False) + "\n")
print(len(texts), "distinct texts")
