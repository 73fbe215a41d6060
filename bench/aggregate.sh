#!/usr/bin/env bash
# aggregate.sh [SIZES...] — `firstmile aggregate` on synthetic storms of growing size (default
# 10000 100000 1000000 reports), the density of reports per day kept as in the 2,000-report /
# 365-day corpora of the tests (days = reports / 5.5), with wall time, peak RSS and pairwise
# F1 against the generator's truth. COMMENTS=K (default 0) gives every report K comments
# (bench/load_storms.py --comments). BUILD=dir picks the build tree; ARGS='--source rules' adds
# options to the timed `aggregate`. Run by hand after building.
set -euo pipefail
cd "$(dirname "$0")/.."
fm=${BUILD:-build}/tools/firstmile/firstmile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
for n in "${sizes[@]}"; do
  days=$(( n * 2 / 11 ))
  [ "$days" -lt 365 ] && days=365
  "$fm" aggregate synth --seed 2026 --reports "$n" --days "$days" --out "$tmp/s$n" >/dev/null
  head -1 "$tmp/s$n/issues.jsonl" > "$tmp/one.jsonl"
  "$fm" import issues "$tmp/one.jsonl" --db "$tmp/s$n.db" >/dev/null
  /usr/bin/python3 bench/load_storms.py "$tmp/s$n/issues.jsonl" "$tmp/s$n.db" --comments "${COMMENTS:-0}"
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$tmp/rss" "$fm" aggregate --db "$tmp/s$n.db" ${ARGS:-} > "$tmp/out"
  end=$(date +%s%N)
  f1=$("$fm" aggregate eval --db "$tmp/s$n.db" --gold "$tmp/s$n/incidents.csv" --format json | /usr/bin/python3 -c 'import json,sys; j=json.load(sys.stdin); print("F1 %.3f P %.3f R %.3f" % (j["f1"], j["precision"], j["recall"]))')
  printf '%9d reports  %7.2f s  %7d KiB  %s  | %s\n' "$n" "$(awk -v ns=$((end - start)) 'BEGIN{print ns/1e9}')" "$(cat "$tmp/rss")" "$f1" "$(sed -n 2p "$tmp/out")"
  rm -rf "$tmp/s$n" "$tmp/s$n.db"*
done
