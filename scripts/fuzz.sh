#!/usr/bin/env bash
# fuzz.sh [SECONDS] [SEED] — every importer fed mutated copies of the sample data, for SECONDS
# each (default 60), built with AddressSanitizer and UndefinedBehaviorSanitizer in build-fuzz/.
# Run by hand, not in CI. The corpus is seeded from data/: the sample's issues and comments,
# its published-dataset files, the rule files, GH Archive lines made from the sample's issues
# (and gzip files of them), and a label sheet exported from the sample. A finding (an
# exception that is not the importer's own Error, or a sanitizer report) leaves its input in
# fuzz-finding-TARGET-N and makes the script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
seed=${2:-1}
scripts/install-deps.sh
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIRSTMILE_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_importers firstmile >/dev/null
fuzz=build-fuzz/tests/fuzz_importers
fm=build-fuzz/tools/firstmile/firstmile
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# GH Archive lines: each sample issue as an IssuesEvent, as the dumps carry them.
/usr/bin/python3 - "$corpus/gharchive.jsonl" <<'PY'
import json, sys
issues = json.load(open("data/sample/issues.json"))
with open(sys.argv[1], "w") as out:
    for i, issue in enumerate(issues):
        repo = "/".join(issue["html_url"].split("/")[3:5])
        event = {"id": str(i), "type": "IssuesEvent", "actor": {"login": "a"}, "repo": {"id": 1, "name": repo},
                 "payload": {"action": "opened", "issue": issue}, "public": True,
                 "created_at": issue.get("created_at")}
        out.write(json.dumps(event) + "\n")
PY
# Gzip files of those lines: one member, two members cut inside a line, one stored (level 0).
/usr/bin/python3 - "$corpus/gharchive.jsonl" "$corpus" <<'PY'
import gzip, sys
lines = open(sys.argv[1], "rb").read()
half = len(lines) // 2
open(sys.argv[2] + "/one.json.gz", "wb").write(gzip.compress(lines, 6))
open(sys.argv[2] + "/two.json.gz", "wb").write(gzip.compress(lines[:half], 9) + gzip.compress(lines[half:], 1))
open(sys.argv[2] + "/stored.json.gz", "wb").write(gzip.compress(lines[:4000], 0))
PY
"$fm" import issues data/sample/issues.json --db "$corpus/s.db" >/dev/null
"$fm" label export --db "$corpus/s.db" --sample 20 --out "$corpus/sheet.csv" >/dev/null
mapfile -d '' dataset < <(find data/sample/dataset -name '*.json' -print0)
status=0
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
"$fuzz" issues "$seconds" "$seed" data/sample/issues.json data/sample/comments.json || status=1
"$fuzz" dataset "$seconds" "$seed" "${dataset[@]}" || status=1
"$fuzz" gharchive "$seconds" "$seed" "$corpus/gharchive.jsonl" || status=1
"$fuzz" gzip "$seconds" "$seed" "$corpus"/*.json.gz || status=1
"$fuzz" labels "$seconds" "$seed" "$corpus/sheet.csv" || status=1
"$fuzz" rules "$seconds" "$seed" taxonomy/rules/*.json || status=1
exit $status
