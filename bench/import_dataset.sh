#!/usr/bin/env bash
# import_dataset.sh — time `firstmile import-dataset` on the published dataset (706 records)
# against a plain Python + sqlite3 baseline doing comparable work, side by side.
# Usage: bench/import_dataset.sh [RUNS]   (BUILD=dir picks the build tree, default build/; needs ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
dataset=../shared/datasets/open-llm-failures
fm=${BUILD:-build}/tools/firstmile/firstmile
[ -d "$dataset" ] || { echo "needs $dataset" >&2; exit 2; }
[ -x "$fm" ] || { echo "build first: cmake --build build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. bench/measure.sh

reset='rm -f "$tmp"/fm.db* "$tmp"/py.db*'  # fresh runs start without a database
fresh=$(measure firstmile-fresh "$fm" import-dataset "$dataset" --db "$tmp/fm.db")
base=$(measure python-baseline python3 bench/baseline_import.py "$dataset" "$tmp/py.db")
reset=''  # the re-import runs into the database kept from the first import
"$fm" import-dataset "$dataset" --db "$tmp/keep.db" >/dev/null
again=$(measure firstmile-reimport "$fm" import-dataset "$dataset" --db "$tmp/keep.db")


printf '%-20s %10s %12s\n' run median_s max_rss_kib
for line in "$fresh" "$again" "$base"; do printf '%-20s %10s %12s\n' $line; done
awk -v a="$(echo "$fresh" | cut -d' ' -f2)" -v b="$(echo "$base" | cut -d' ' -f2)" \
  'BEGIN { if (a > 0) printf "firstmile fresh import is %.1fx the speed of the baseline\n", b / a }'
