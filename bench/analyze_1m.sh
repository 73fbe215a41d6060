#!/usr/bin/env bash
# analyze_1m.sh — `firstmile analyze` (full report) on N synthetic annotations (default 1,000,000)
# against the same analyses in pandas + scipy (bench/baseline_analyze.py), side by side.
# Usage: bench/analyze_1m.sh [N] [RUNS]   (BUILD=dir picks the build tree, default build/; needs a built tree, sqlite3, python3-pandas, python3-scipy)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
runs=${2:-5}
fm=${BUILD:-build}/tools/firstmile/firstmile
[ -x "$fm" ] || { echo "build first: cmake --build build" >&2; exit 2; }
py=/usr/bin/python3
"$py" -c 'import pandas, scipy' 2>/dev/null || { echo "needs Debian's python3-pandas and python3-scipy" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/bench.db"

echo "building a database with $n synthetic annotations..." >&2
"$fm" import-dataset data/sample/dataset --name sample --db "$db" >/dev/null
sed "s/:n/$n/g" bench/synthetic_annotations.sql | sqlite3 "$db"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

. bench/measure.sh

report=$(measure firstmile-report "$fm" analyze --db "$db" --source gold:synthetic --format json)
paper=$(measure firstmile-paper "$fm" analyze --db "$db" --source gold:synthetic --out "$tmp/paper")
base=$(measure pandas-scipy "$py" bench/baseline_analyze.py "$db" gold:synthetic)

printf '%-20s %10s %12s\n' run median_s max_rss_kib
for line in "$report" "$paper" "$base"; do printf '%-20s %10s %12s\n' $line; done
awk -v a="$(echo "$report" | cut -d' ' -f2)" -v b="$(echo "$base" | cut -d' ' -f2)" \
  'BEGIN { if (a > 0) printf "firstmile analyze is %.1fx the speed of pandas + scipy\n", b / a }'
