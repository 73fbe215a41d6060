#!/usr/bin/env bash
# import_dataset.sh — time `firstmile import-dataset` on the published dataset (706 records)
# against a plain Python + sqlite3 baseline doing comparable work, side by side.
# Usage: bench/import_dataset.sh [RUNS]   (needs ../shared and a built build/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
dataset=../shared/datasets/open-llm-failures
fm=build/tools/firstmile/firstmile
[ -d "$dataset" ] || { echo "needs $dataset" >&2; exit 2; }
[ -x "$fm" ] || { echo "build first: cmake --build build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

measure() {  # label, command...: median wall seconds (ns clock) and max RSS (KiB) over $runs runs
  local label=$1; shift
  local times=() rss=0
  for ((i = 0; i < runs; i++)); do
    rm -f "$tmp"/*.db "$tmp"/*.db-wal "$tmp"/*.db-shm
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp/time" "$@" >/dev/null
    end=$(date +%s%N)
    read -r m < "$tmp/time"
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')")
    (( m > rss )) && rss=$m
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label $median $rss"
}

fresh=$(measure firstmile-fresh "$fm" import-dataset "$dataset" --db "$tmp/fm.db")
"$fm" import-dataset "$dataset" --db "$tmp/keep.db" >/dev/null
again=$(measure firstmile-reimport "$fm" import-dataset "$dataset" --db "$tmp/keep.db")
base=$(measure python-baseline python3 bench/baseline_import.py "$dataset" "$tmp/py.db")

printf '%-20s %10s %12s\n' run median_s max_rss_kib
for line in "$fresh" "$again" "$base"; do printf '%-20s %10s %12s\n' $line; done
awk -v a="$(echo "$fresh" | cut -d' ' -f2)" -v b="$(echo "$base" | cut -d' ' -f2)" \
  'BEGIN { if (a > 0) printf "firstmile fresh import is %.1fx the speed of the baseline\n", b / a }'
