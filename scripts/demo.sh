#!/usr/bin/env bash
# demo.sh — build firstmile, then run the main pipeline on the embedded sample in data/sample:
# import the issues (offline, as GitHub returns them) and the gold labels, lint what is
# loaded, summarise, analyse and export for a paper. Outputs go to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target firstmile

out=demo-out
rm -rf "$out"
mkdir -p "$out"
fm() { echo "+ firstmile $*" >&2; build/tools/firstmile/firstmile "$@"; }
export FIRSTMILE_DB="$out/firstmile.db"

echo "== 1. Import the sample's issues and comments (GitHub REST JSON, offline)"
fm import issues data/sample/issues.json data/sample/comments.json

echo
echo "== 2. Import the sample's gold labels (dataset layout of Open-LLM-Failures)"
fm import-dataset data/sample/dataset --name sample

echo
echo "== 3. Lint what is loaded (exit code 1 means: findings worth a look)"
fm check --details 3 | tee "$out/check.txt" || true

echo
echo "== 4. Summary by series, model, stage, symptom and root cause"
fm summary | tee "$out/summary.txt"
fm summary --format csv > "$out/summary.csv"
fm summary --format json > "$out/summary.json"

echo
echo "== 5. The same labels under the regrouped taxonomy (via the crosswalk)"
fm summary --taxonomy taxonomy/folded.json | tee "$out/summary-folded.txt"

echo
echo "== 6. The study's analysis (RQ1-RQ6) with every export for a paper"
fm analyze --out "$out/paper" | tee "$out/analysis.txt" | sed -n '1,/^RQ1/p'
echo "(full report in $out/analysis.txt; tables, LaTeX, JSON and SVG figures in $out/paper/, indexed by README.md)"

echo
echo "Outputs in $out/:"
ls -1 "$out" | sed 's/^/  /'
echo "Query the database yourself: sqlite3 $out/firstmile.db 'SELECT * FROM annotation_labels LIMIT 5'"
