#!/usr/bin/python3
"""storm_stats.py — what the incidents of a storm set look like, real or generated, side by side.

    bench/storm_stats.py NAME ISSUES.json[l] TRUTH.csv [NAME ISSUES TRUTH ...]

For each set, over its incidents of two or more reports: how many, their sizes, their span in
days (first to last report), the share of members that show no error line, the share of
incidents whose members paste different error lines (or some none), the share spanning more
than one repository and more than one owner (a family of repositories). An error line is a line
naming an exception or an error ("ValueError: ...", "CUDA error: ...", "RuntimeError"), compared
after numbers, paths and quotes are normalised; the same reading for every set, so the sets
compare even if it misses some. ISSUES is GitHub REST issue JSON (a list) or JSON lines;
TRUTH is (issue URL or OWNER/NAME#N, incident), `single-...`, 0 or empty meaning none.
"""
import csv
import json
import re
import statistics
import sys
from datetime import datetime

ERROR = re.compile(r"\b(?:[A-Z][A-Za-z]*(?:Error|Exception)|CUDA error|NCCL error|Traceback|AssertionError)\b[^\n]*")


def key_of(url_or_ref):
    m = re.match(r"https?://github\.com/([^/]+)/([^/]+)/issues/(\d+)", url_or_ref)
    return f"{m.group(1)}/{m.group(2)}#{m.group(3)}".lower() if m else url_or_ref.strip().lower()


def read_issues(path):
    with open(path) as f:
        text = f.read()
    items = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines() if l]
    out = {}
    for i in items:
        key = key_of(i.get("html_url") or i.get("url", ""))
        out[key] = i
    return out


def error_lines(text):
    lines = set()
    for m in ERROR.finditer(text or ""):
        line = m.group(0)
        line = re.sub(r"['\"`].*?['\"`]", "<q>", line)
        line = re.sub(r"(/[\w.\-]+)+", "<path>", line)
        line = re.sub(r"\d+(?:\.\d+)*", "<n>", line)
        lines.add(line.strip()[:80])
    return lines


def stats(name, issues_path, truth_path):
    issues = read_issues(issues_path)
    members = {}
    with open(truth_path, newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2 or row[0] in ("issue", "url"):
                continue
            inc = row[1].strip()
            if inc in ("", "0") or inc.startswith("single-"):
                continue
            k = key_of(row[0])
            if k in issues:
                members.setdefault(inc, []).append(k)
    incidents = [m for m in members.values() if len(m) >= 2]
    sizes, spans, no_error, different, cross_repo, cross_owner = [], [], [], 0, 0, 0
    for m in incidents:
        sizes.append(len(m))
        times = [datetime.fromisoformat(issues[k]["created_at"].replace("Z", "+00:00")).timestamp() for k in m]
        spans.append((max(times) - min(times)) / 86400)
        errs = [error_lines(issues[k].get("title", "") + "\n" + (issues[k].get("body") or "")) for k in m]
        no_error.extend(not e for e in errs)
        if any(not e for e in errs) or len({frozenset(e) for e in errs}) > 1:
            different += 1
        repos = {k.split("#")[0] for k in m}
        cross_repo += len(repos) > 1
        cross_owner += len({r.split("/")[0] for r in repos}) > 1
    n = len(incidents)
    share = lambda x: f"{x / n:.2f}" if n else "-"
    print(f"{name}: {len(issues)} reports, {n} incidents of 2+ ({sum(sizes)} reports, "
          f"{sum(s * (s - 1) // 2 for s in sizes)} pairs)")
    if not n:
        return
    print(f"  size: median {statistics.median(sizes)}, max {max(sizes)}; "
          f"span in days: median {statistics.median(spans):.0f}, share over 30 days {share(sum(s > 30 for s in spans))}, "
          f"over 180 {share(sum(s > 180 for s in spans))}")
    print(f"  members without an error line {sum(no_error) / len(no_error):.2f}; incidents whose members paste "
          f"different error lines (or some none) {share(different)}; across repositories {share(cross_repo)}, "
          f"across owners {share(cross_owner)}")


def main():
    args = sys.argv[1:]
    if not args or len(args) % 3:
        sys.exit(__doc__)
    for i in range(0, len(args), 3):
        stats(*args[i:i + 3])


if __name__ == "__main__":
    main()
