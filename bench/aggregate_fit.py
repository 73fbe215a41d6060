#!/usr/bin/python3
"""aggregate_fit.py — the pair score's weights fitted on real and generated storms, honestly.

    bench/aggregate_fit.py --set NAME PAIRS.csv TRUTH.csv [--set ...] [--folds 5] [--seeds 1,2,3]

Each set is what `firstmile aggregate --pairs-out PAIRS.csv` wrote (every candidate pair and its
evidence, named as in taxonomy/similarity.json's pair_score) and its gold incidents (TRUTH.csv:
issue URL or OWNER/NAME#N, incident; `single-...`, 0 or empty: in no incident). The procedure:

1. Logistic regression (L2, Newton's method) of "same incident" on the evidence of the candidate
   pairs, each set weighing as much as every other however many pairs it has.
2. Grouped cross-validation: the incidents (a singleton is an incident of one) are dealt into K
   folds; weights and the link threshold are learnt on the pairs of K-1 folds (the threshold that
   gives the best pairwise F1 of the connected groups there), and scored on the held-out fold:
   pairwise precision, recall and F1 of the groups, Recall@k (is a true partner among a report's
   k best-scored candidates), over several deals of the folds. Within a fold a set's wrong pairs
   are only that fold's (a fifth of them), which flatters precision; so each set is also grouped
   whole, cross-fitted: every pair scored by the fold models that never saw its incidents.
3. Candidate recall: the share of gold pairs that are candidate pairs at all (blocking's bound on
   recall), per set.
4. The weights fitted on every set, with the threshold folded into the prior, to write into
   taxonomy/similarity.json; and their in-sample scores beside the held-out ones.

Never tune on individual reports: the only choices here are the features (the evidence) and the
regularisation. Needs python3-numpy.
"""
import argparse
import csv
import itertools
import math
import random
import re
import sys

import numpy as np

THRESHOLDS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def issue_key(text):
    m = re.match(r"https?://github\.com/([^/]+)/([^/]+)/issues/(\d+)", text)
    if m:
        return f"{m.group(1)}/{m.group(2)}#{m.group(3)}".lower()
    return text.strip().lower()


def read_truth(path):
    truth = {}
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or row[0] in ("issue", "url"):
                continue
            key, incident = issue_key(row[0]), row[1].strip()
            if incident in ("", "0") or incident.startswith("single-"):
                incident = "single:" + key
            truth[key] = incident
    return truth


def read_pairs(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        names = header[3:]
        pairs, rows = [], []
        for row in r:
            pairs.append((issue_key(row[0]), issue_key(row[1])))
            rows.append([float(x) for x in row[3:]])
    return names, pairs, np.array(rows, dtype=float)


def fit(X, y, sw, l2):
    """Weighted L2 logistic regression; column 0 is the intercept (not penalised)."""
    w = np.zeros(X.shape[1])
    penalty = l2 * np.r_[0.0, np.ones(X.shape[1] - 1)]
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -35, 35)))
        g = X.T @ (sw * (p - y)) + penalty * w
        H = X.T @ (X * (sw * p * (1 - p))[:, None]) + np.diag(penalty) + 1e-9 * np.eye(X.shape[1])
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def groups_f1(reports, truth, links):
    """Pairwise P, R, F1 counts of the connected groups `links` make among `reports`."""
    parent = {r: r for r in reports}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[find(a)] = find(b)
    by_group, by_gold = {}, {}
    for r in reports:
        by_group.setdefault(find(r), []).append(r)
        by_gold.setdefault(truth[r], []).append(r)
    predicted = sum(len(m) * (len(m) - 1) // 2 for m in by_group.values())
    gold = sum(len(m) * (len(m) - 1) // 2 for m in by_gold.values())
    right = 0
    for members in by_group.values():
        counts = {}
        for r in members:
            counts[truth[r]] = counts.get(truth[r], 0) + 1
        right += sum(c * (c - 1) // 2 for c in counts.values())
    return right, predicted, gold


def prf(right, predicted, gold):
    p = right / predicted if predicted else 0.0
    r = right / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def recall_at(reports, truth, pairs, scores, ks=(1, 5, 10)):
    best = {r: [] for r in reports}
    for (a, b), s in zip(pairs, scores):
        best[a].append((s, b))
        best[b].append((s, a))
    hits = {k: 0 for k in ks}
    asked = 0
    members = {}
    for r in reports:
        members.setdefault(truth[r], []).append(r)
    for r in reports:
        if len(members[truth[r]]) < 2:
            continue
        asked += 1
        ranked = [x for _, x in sorted(best[r], key=lambda t: -t[0])]
        for k in ks:
            hits[k] += any(truth[x] == truth[r] for x in ranked[:k])
    return {k: (hits[k] / asked if asked else 0.0) for k in ks}, asked


MUTUAL = [True]


def decide_links(pairs, scores, threshold):
    """Pairs scoring at least the threshold; with MUTUAL, also each report and its best-scored
    candidate when that one's best is it too and they score at least a third of the threshold."""
    links = [pair for pair, p in zip(pairs, scores) if p >= threshold]
    if MUTUAL[0]:
        best = {}
        for (a, b), p in zip(pairs, scores):
            for u, v in ((a, b), (b, a)):
                if p > best.get(u, (-1, None))[0]:
                    best[u] = (p, v)
        for u, (p, v) in best.items():
            if u < v and p >= threshold / 3 and best.get(v, (-1, None))[1] == u:
                links.append((u, v))
    return links


LINKAGE = ["single"]
KNOWN_LINKS = [False]
AVERAGE_MINS = [0.1, 0.2, 0.3, 0.4]


def average_links(pairs, folded, minimum, mutual_floor):
    """Average linkage over the candidate graph, on scores with the threshold folded in (0.5 is
    the threshold): pairs at 0.5 or more (and mutual best pairs at the floor or more), best first,
    join their two groups when the mean score over every pair of reports across the two groups (a
    pair that is not a candidate counts 0) is at least `minimum`. Returns the joining pairs."""
    order = sorted(range(len(pairs)), key=lambda i: (-folded[i], pairs[i]))
    best = {}
    for (a, b), p in zip(pairs, folded):
        for u, v in ((a, b), (b, a)):
            if p > best.get(u, (-1, None))[0]:
                best[u] = (p, v)
    owner, size, between = {}, {}, {}
    def root(x):
        return owner.get(x, x)
    members = {}
    for (a, b), p in zip(pairs, folded):
        for u, v in ((a, b), (b, a)):
            between.setdefault(u, {})
            between[u][v] = between[u].get(v, 0.0) + p
    links = []
    for i in order:
        p = folded[i]
        a, b = pairs[i]
        mutual = best[a][1] == b and best[b][1] == a and p >= mutual_floor
        if p < 0.5 and not mutual:
            if p < mutual_floor:
                break
            continue
        A, B = root(a), root(b)
        if A == B:
            continue
        na, nb = size.get(A, 1), size.get(B, 1)
        if between.get(A, {}).get(B, 0.0) / (na * nb) < minimum:
            continue
        if na < nb:
            A, B, na, nb = B, A, nb, na
        # B into A: its members, size and sums to every other group.
        for x in members.pop(B, [B]):
            owner[x] = A
            members.setdefault(A, [A]).append(x)
        size[A] = na + nb
        for other, total in between.pop(B, {}).items():
            if other == A:
                continue
            between[A][other] = between[A].get(other, 0.0) + total
            between[other].pop(B, None)
            between[other][A] = between[other].get(A, 0.0) + total
        between[A].pop(B, None)
        links.append((a, b))
    return links


class Set:
    def __init__(self, name, pairs_path, truth_path):
        self.name = name
        self.truth = read_truth(truth_path)
        self.names, pairs, X = read_pairs(pairs_path)
        keep = [i for i, (a, b) in enumerate(pairs) if a in self.truth and b in self.truth]
        self.pairs = [pairs[i] for i in keep]
        X = X[keep]
        # Tied evidence: with labels on every report "same" and "different" root cause add up
        # to a constant and would act as a second prior; one weight w for +1 / -1 (0: unknown).
        same, different = self.names.index("same_root_cause"), self.names.index("different_root_cause")
        X[:, same] = X[:, same] - X[:, different]
        X = np.delete(X, different, axis=1)
        self.names = [n for n in self.names if n != "different_root_cause"]
        # `aggregate`'s own decision, not evidence: the pair was linked as one known cause.
        self.known = None
        if "known_cause_link" in self.names:
            k = self.names.index("known_cause_link")
            self.known = X[:, k] > 0
            X = np.delete(X, k, axis=1)
            self.names = [n for n in self.names if n != "known_cause_link"]
        self.X = np.c_[np.ones(len(keep)), X]
        self.y = np.array([self.truth[a] == self.truth[b] for a, b in self.pairs], dtype=float)
        self.reports = sorted(self.truth)
        members = {}
        for r in self.reports:
            members.setdefault(self.truth[r], []).append(r)
        self.gold_pairs = sum(len(m) * (len(m) - 1) // 2 for m in members.values())

    def candidate_recall(self):
        return self.y.sum() / self.gold_pairs if self.gold_pairs else 0.0


def known_links(s, idx, folded):
    """With KNOWN_LINKS, as `aggregate` does with "known_change_links": a pair it linked as one
    known cause (the pairs file's known_cause_link) counts 1."""
    if not KNOWN_LINKS[0]:
        return folded
    if s.known is not None:  # as `aggregate` decided (its pairs file says)
        return [1.0 if s.known[i] else f for i, f in zip(idx, folded)]
    # Older pairs files: approximated, both naming a version of any one library leave it to the score.
    k, fam = (s.names.index(n) + 1 for n in ("same_known_change", "same_family"))
    versions = [s.names.index(n) + 1 for n in ("other_release", "other_release_same_error_and_model",
                                               "other_patch", "same_version")]
    return [1.0 if s.X[i, k] > 0 and s.X[i, fam] > 0 and not any(s.X[i, v] for v in versions) else f
            for i, f in zip(idx, folded)]


def logit(p):
    return math.log(p / (1 - p))


def cross_fitted(s, fold_of, models):
    """Every report of the set grouped at once, as `aggregate` sees a corpus, each pair scored by
    models that never saw its incidents: a pair inside fold f by the model fitted without f, a
    pair across folds f and g by the mean of the two models' log-odds (each saw the other
    report, as one more negative). The thresholds are folded into each model's log-odds first;
    the average-linkage minimum and mutual floor are the folds' means. Counts (right, predicted, gold)."""
    fold = [fold_of[(s.name, s.truth[a])] for a, _ in s.pairs]
    fold_b = [fold_of[(s.name, s.truth[b])] for _, b in s.pairs]
    z = {}
    for f, (w, t) in models.items():
        t0 = t[0] if LINKAGE[0] == "average" else t
        z[f] = s.X @ w - logit(t0)
    folded_logit = np.array([(z[f][i] + z[g][i]) / 2 for i, (f, g) in enumerate(zip(fold, fold_b))])
    folded = list(1 / (1 + np.exp(-np.clip(folded_logit, -35, 35))))
    average = LINKAGE[0] == "average"
    if average:
        folded = known_links(s, list(range(len(s.pairs))), folded)
    ts = [t[0] if average else t for _, t in models.values()]
    # Single linkage is average linkage that joins at any mean (minimum 0).
    minimum = float(np.mean([t[1] for _, t in models.values()])) if average else 0.0
    floor = float(np.mean([1 / (1 + math.exp(-(logit(t / 3) - logit(t)))) for t in ts]))
    links = average_links(s.pairs, folded, minimum, floor if MUTUAL[0] else 1.0)
    return groups_f1(s.reports, s.truth, links)


def evaluate(sets, weights, threshold, chosen):
    """Group scores over the chosen reports of each set: {set: (right, predicted, gold, recall@k, asked)}."""
    out = {}
    for s in sets:
        reports = [r for r in s.reports if chosen(s, r)]
        inside = set(reports)
        idx = [i for i, (a, b) in enumerate(s.pairs) if a in inside and b in inside]
        scores = 1 / (1 + np.exp(-np.clip(s.X[idx] @ weights, -35, 35))) if idx else np.array([])
        if LINKAGE[0] == "average":
            t, minimum = threshold
            shift = math.log(t / (1 - t))
            folded = 1 / (1 + np.exp(-np.clip(s.X[idx] @ weights - shift, -35, 35))) if idx else np.array([])
            floor = 1 / (1 + math.exp(-(math.log((t / 3) / (1 - t / 3)) - shift)))
            folded = known_links(s, idx, list(folded))
            links = average_links([s.pairs[i] for i in idx], folded, minimum, floor if MUTUAL[0] else 1.0)
        else:
            links = decide_links([s.pairs[i] for i in idx], scores, threshold)
        right, predicted, gold = groups_f1(reports, s.truth, links)
        rk, asked = recall_at(reports, s.truth, [s.pairs[i] for i in idx], scores)
        out[s.name] = (right, predicted, gold, rk, asked)
    return out


def train(sets, chosen, l2):
    rows = [(s, [i for i, (a, b) in enumerate(s.pairs) if chosen(s, a) and chosen(s, b)]) for s in sets]
    X = np.vstack([s.X[idx] for s, idx in rows if idx])
    y = np.concatenate([s.y[idx] for s, idx in rows if idx])
    sw = np.concatenate([np.full(len(idx), 1.0 / len(idx)) for s, idx in rows if idx]) * 1000
    w = fit(X, y, sw, l2)
    # The threshold: the best mean F1 of the sets' groups on the training folds.
    best = (-1.0, 0.5)
    grid = THRESHOLDS if LINKAGE[0] == "single" else [(t, a) for t in THRESHOLDS for a in AVERAGE_MINS]
    for t in grid:
        scores = evaluate(sets, w, t, chosen)
        f = np.mean([prf(*v[:3])[2] for v in scores.values()])
        best = max(best, (f, t))
    return w, best[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", nargs=3, action="append", metavar=("NAME", "PAIRS", "TRUTH"), required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--known-links", action="store_true",
                    help="with --linkage average: a pair `aggregate` linked as one known cause (the pairs file's "
                         "known_cause_link; similarity.json's known_change_links) is linked and counts 1")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--no-mutual", action="store_true", help="link by the threshold alone")
    ap.add_argument("--fit-on", default="", help="comma-separated set names to fit on (default: every set); "
                    "the others are only scored")
    ap.add_argument("--linkage", choices=["single", "average"], default="single",
                    help="how linked pairs make groups: connected groups (single), or groups joined only "
                    "when the mean score across them is high enough (average; its minimum chosen with the threshold)")
    args = ap.parse_args()
    MUTUAL[0] = not args.no_mutual
    LINKAGE[0] = args.linkage
    KNOWN_LINKS[0] = args.known_links
    sets = [Set(*s) for s in args.set]
    names = sets[0].names  # with different_root_cause tied to same_root_cause
    for s in sets:
        if s.names != names:
            sys.exit(f"{s.name}: other evidence columns than {sets[0].name}")
        if (s.known is None) != (sets[0].known is None):
            sys.exit(f"{s.name}: written by another `aggregate` than {sets[0].name} (one has the known_cause_link "
                     "column, the other not): write every pairs file again with one build")
        print(f"{s.name}: {len(s.reports)} reports, {s.gold_pairs} gold pairs, {len(s.pairs)} candidate pairs, "
              f"candidate recall {s.candidate_recall():.3f}")

    fit_names = [x for x in args.fit_on.split(",") if x]
    fit_sets = [s for s in sets if not fit_names or s.name in fit_names]
    if not fit_sets:
        sys.exit("--fit-on names no set")
    print("fitted on: " + ", ".join(s.name for s in fit_sets))
    totals = {s.name: np.zeros(3) for s in sets}
    crossed = {s.name: np.zeros(3) for s in sets}
    rks = {s.name: [] for s in sets}
    for seed in [int(x) for x in args.seeds.split(",")]:
        fold_of = {}
        for s in sets:
            incidents = sorted(set(s.truth.values()))
            random.Random(seed).shuffle(incidents)
            for k, inc in enumerate(incidents):
                fold_of[(s.name, inc)] = k % args.folds
        models = {}
        for f in range(args.folds):
            in_train = lambda s, r: fold_of[(s.name, s.truth[r])] != f
            in_test = lambda s, r: fold_of[(s.name, s.truth[r])] == f
            w, t = train(fit_sets, in_train, args.l2)
            models[f] = (w, t)
            for name, (right, predicted, gold, rk, asked) in evaluate(sets, w, t, in_test).items():
                totals[name] += (right, predicted, gold)
                rks[name].append((rk, asked))
        for s in sets:
            crossed[s.name] += cross_fitted(s, fold_of, models)
    print(f"\nheld out: {args.folds} folds by incident, deals {args.seeds} (pooled)")
    for s in sets:
        p, r, f1 = prf(*totals[s.name])
        asked = sum(a for _, a in rks[s.name])
        rk = {k: sum(x[k] * a for x, a in rks[s.name]) / max(asked, 1) for k in (1, 5, 10)}
        print(f"  {s.name}: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}  "
              f"Recall@1 {rk[1]:.3f} @5 {rk[5]:.3f} @10 {rk[10]:.3f}")
    # Within a fold a set's wrong pairs can only be pairs of that fold (a fifth of them), so the
    # precision above is optimistic for a corpus seen whole; cross-fitted, every pair competes.
    print("\nheld out, cross-fitted: every report of a set grouped at once, each pair scored by the "
          "fold models that never saw its incidents")
    for s in sets:
        p, r, f1 = prf(*crossed[s.name])
        print(f"  {s.name}: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")

    everything = lambda s, r: True
    w, t = train(fit_sets, everything, args.l2)
    print(f"\nin sample (weights and threshold {t} fitted on every report of the fitted sets)")
    for name, (right, predicted, gold, rk, asked) in evaluate(sets, w, t, everything).items():
        p, r, f1 = prf(right, predicted, gold)
        print(f"  {name}: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}  "
              f"Recall@1 {rk[1]:.3f} @5 {rk[5]:.3f} @10 {rk[10]:.3f}")
    # The LLM route, bounded: pairs whose folded score is within `threshold` of 0.5 in
    # confidence (|p - 0.5| x 2 < threshold, as `aggregate --route hybrid --threshold`) go to
    # a judge that is always right (the truth): the share of candidate pairs routed and the F1
    # it would reach, against no judge (the score decides).
    print("\nhybrid with a perfect judge (an upper bound), in sample:")
    minimum = None
    if LINKAGE[0] == "average":
        t, minimum = t
    shift = math.log(t / (1 - t))
    for route_threshold in (0.3, 0.6, 0.9):
        for st in sets:
            p = 1 / (1 + np.exp(-np.clip(st.X @ w - shift, -35, 35)))
            # Pairs linked as one known cause are not asked about (`aggregate` decides them first);
            # as everywhere here, only with average linkage.
            known = np.zeros(len(st.pairs), dtype=bool)
            if LINKAGE[0] == "average":
                known = np.array(known_links(st, range(len(st.pairs)), [0.0] * len(st.pairs))) > 0
            p = np.where(known, 1.0, p)
            unsure = (np.abs(p - 0.5) * 2 < route_threshold) & ~known
            if minimum is None:
                links = [pair for pair, q, u, same in zip(st.pairs, p, unsure, st.y) if (same > 0 if u else q >= 0.5)]
            else:  # the judge's answer is the pair's score: 1 (same) or 0 (different)
                judged = [float(same > 0) if u else q for q, u, same in zip(p, unsure, st.y)]
                floor = 1 / (1 + math.exp(-(math.log((t / 3) / (1 - t / 3)) - shift)))
                links = average_links(st.pairs, judged, minimum, floor if MUTUAL[0] else 1.0)
            pr, rc, f1 = prf(*groups_f1(st.reports, st.truth, links))
            print(f"  --threshold {route_threshold}: {st.name}: {unsure.mean():.3f} of {len(st.pairs)} candidate pairs "
                  f"routed; F1 {f1:.3f} (P {pr:.3f} R {rc:.3f})")
    prior = w[0] - math.log(t / (1 - t))
    print("\nweights for taxonomy/similarity.json (pair_score; the threshold folded into the prior):")
    print(f'  "prior": {prior:.2f},')
    if MUTUAL[0]:
        # A third of the threshold, on the scale of the score with the threshold folded in.
        z = math.log((t / 3) / (1 - t / 3)) - math.log(t / (1 - t))
        print(f'  "mutual_best_min_score": {1 / (1 + math.exp(-z)):.3f},')
    if minimum is not None:
        print(f'  "average_link_min_score": {minimum:.3f},')
    for name, value in zip(names, w[1:]):
        print(f'  "{name}": {value:.2f},')
        if name == "same_root_cause":
            print(f'  "different_root_cause": {-value:.2f},')


if __name__ == "__main__":
    main()
