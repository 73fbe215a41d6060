#!/usr/bin/python3
"""weight_cv.py DB WEIGHT... — 2-fold cross-validation of choosing the root-cause prior weight on
the cards: for 200 random halvings, the weight with the best top-level root-cause accuracy on
one half (ties: the one nearest the shipped 10) is scored on the other half. Reads the sources
weight-W that bench/classify_cards.sh wrote."""
import random
import sqlite3
import statistics
import sys

db = sqlite3.connect(sys.argv[1])
weights = sys.argv[2:]


def top(node):
    return ".".join((node or "").split(".")[:2])


gold = {i: top(rc) for i, rc in db.execute("SELECT issue_id, root_cause FROM annotations WHERE source LIKE 'gold:%'")}
right = {w: {i: top(rc) == gold[i] for i, rc in db.execute("SELECT issue_id, root_cause FROM annotations WHERE source = ?",
                                                              (f"weight-{w}",))} for w in weights}
issues = sorted(right[weights[0]])
scores = []
for seed in range(200):
    random.Random(seed).shuffle(issues)
    halves = issues[: len(issues) // 2], issues[len(issues) // 2:]
    for train, test in (halves, halves[::-1]):
        best = max(weights, key=lambda w: (sum(right[w][i] for i in train), -abs(float(w) - 10)))
        scores.append(sum(right[best][i] for i in test) / len(test))
print(f"weight chosen on one half, scored on the other (200 halvings x 2): mean root-cause accuracy "
      f"{statistics.mean(scores):.3f}, sd {statistics.pstdev(scores):.3f}")
