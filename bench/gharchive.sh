#!/usr/bin/env bash
# gharchive.sh — time `firstmile import gharchive` on a synthetic GH Archive dump (default
# 1 GB uncompressed, bench/gharchive_synth.py) against bench/baseline_gharchive.py (Python 3
# gzip + json + sqlite3, the same work), side by side; also with --repo on five repositories.
# Usage: bench/gharchive.sh [SIZE_BYTES] [RUNS] [PROFILE]   (BUILD=dir picks the build tree, default build/; needs a built tree)
# PROFILE is gharchive_synth.py's: hour (default; a raw GH Archive hour, 17% issue events) or
# bigquery (only issue events, as a BigQuery selection exports them).
# The dump is generated once into $GHARCHIVE_BENCH_DIR (default
# /tmp/fm-gharchive-bench/PROFILE-SIZE) and kept for the next run; delete it when done.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1000000000}
runs=${2:-3}
profile=${3:-hour}
fm=${BUILD:-build}/tools/firstmile/firstmile
[ -x "$fm" ] || { echo "build first: cmake --build build" >&2; exit 2; }
data=${GHARCHIVE_BENCH_DIR:-/tmp/fm-gharchive-bench/$profile-$size}
if [ ! -f "$data/summary.json" ]; then
  echo "generating $size bytes of events into $data ..." >&2
  mkdir -p "$data"
  /usr/bin/python3 bench/gharchive_synth.py "$data" --size "$size" --profile "$profile" > "$data/summary.tmp"
  mv "$data/summary.tmp" "$data/summary.json"
fi
files=("$data"/*.json.gz)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. bench/measure.sh

# Five repositories of the dump, in another case than the dump spells them.
mapfile -t repos < <(/usr/bin/python3 -c 'import json,sys; print("\n".join(r.lower() for r in json.load(open(sys.argv[1]))["repositories"][:5]))' "$data/summary.json")
repo_flags=()
for r in "${repos[@]}"; do repo_flags+=(--repo "$r"); done

# What each run imports (once, outside the timings).
"$fm" import gharchive "${files[@]}" --db "$tmp/count.db" > "$tmp/all.txt"
"$fm" import gharchive "${files[@]}" "${repo_flags[@]}" --db "$tmp/count-repo.db" > "$tmp/repo.txt"
events_of() { sed -n 's/.* \([0-9]*\) events read, \([0-9]*\) issue and comment events imported.*/\1 \2/p' "$1"; }
read -r lines issues < <(events_of "$tmp/all.txt")
read -r _ repo_issues < <(events_of "$tmp/repo.txt")
bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' <<<"$(sqlite3 "$tmp/count.db" 'SELECT summary FROM runs')")
compressed=$(cat "${files[@]}" | wc -c)
rm -f "$tmp"/count*.db*

reset='rm -f "$tmp"/fm.db* "$tmp"/py.db* "$tmp"/repo.db*'
fresh=$(measure firstmile "$fm" import gharchive "${files[@]}" --db "$tmp/fm.db")
filtered=$(measure firstmile--repo "$fm" import gharchive "${files[@]}" "${repo_flags[@]}" --db "$tmp/repo.db")
base=$(measure python-baseline /usr/bin/python3 bench/baseline_gharchive.py "$tmp/py.db" "${files[@]}")
reset=''
"$fm" import gharchive "${files[@]}" --db "$tmp/keep.db" >/dev/null
again=$(measure firstmile-reimport "$fm" import gharchive "${files[@]}" --db "$tmp/keep.db")
floor=$(measure zcat-only zcat "${files[@]}")
# zlib itself (what firstmile links), 4 MB reads: the decompression floor of one stream.
inflate=$(measure zlib-inflate-only /usr/bin/python3 -c 'import gzip, sys
for f in sys.argv[1:]:
    with gzip.open(f, "rb") as g:
        while g.read(1 << 22): pass' "${files[@]}")

echo "profile $profile; dump: ${#files[@]} files, $bytes bytes uncompressed, $compressed compressed, $lines events, $issues issue events ($repo_issues in ${#repos[@]} repositories: ${repos[*]})"
printf '%-20s %10s %12s %10s %10s %10s %10s\n' run median_s max_rss_kib issues/s events/s MB/s gzMB/s
for line in "$fresh" "$again" "$filtered" "$base" "$floor" "$inflate"; do
  set -- $line
  n=$issues
  [ "$1" = firstmile--repo ] && n=$repo_issues
  awk -v l="$1" -v t="$2" -v m="$3" -v n="$n" -v e="$lines" -v b="$bytes" -v c="$compressed" \
    'BEGIN { printf "%-20s %10s %12s %10.0f %10.0f %10.1f %10.1f\n", l, t, m, n / t, e / t, b / t / 1e6, c / t / 1e6 }'
done
awk -v a="$(echo "$fresh" | cut -d' ' -f2)" -v b="$(echo "$base" | cut -d' ' -f2)" \
  'BEGIN { if (a > 0) printf "firstmile import gharchive is %.2fx the speed of the baseline\n", b / a }'
