#!/usr/bin/env bash
# demo.sh — build firstmile, then run the main pipeline on the embedded sample in data/sample:
# import the issues (offline, as GitHub returns them) and the gold labels, lint what is
# loaded, summarise, classify with the rules and evaluate against the gold labels, calibrate
# and route the uncertain rest, analyse and export for a paper, and write a replication
# package of it all. Outputs go to demo-out/.
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
echo "== 6. Classify every issue with the rules, and evaluate against the gold labels"
fm classify --route rules
fm eval --gold gold --pred rules --dimension symptom --level 1 --disagreements 3 | tee "$out/eval-rules.txt"
fm eval --gold gold --pred rules --out "$out/eval" --format csv > /dev/null

echo
echo "== 7. Calibrate the rules' confidence, then route the uncertain rest (no LLM endpoint here:"
echo "      they keep the rules' guess, marked needs_review; add --llm-url/--llm-model to ask one)"
fm calibrate --gold gold --max-route 0.3
fm classify --route hybrid
first=$(sqlite3 "$FIRSTMILE_DB" "SELECT r.owner || '/' || r.name || '#' || i.number FROM annotations a JOIN issues i ON i.id = a.issue_id JOIN repositories r ON r.id = i.repository_id WHERE a.source = 'hybrid' ORDER BY a.confidence LIMIT 1" 2>/dev/null || true)
if [ -n "$first" ]; then
  echo
  echo "== 8. Why? The evidence for the least certain issue"
  fm explain "$first" | head -30
fi

echo
echo "== 9. The selection funnel: mined -> issues -> keyword filter -> failure reports -> no duplicates"
fm select
fm funnel --format csv > "$out/funnel.csv"

echo
echo "== 10. Aggregate related reports into incidents (issue storms), and check against the sample's truth"
fm aggregate --window 14
fm aggregate eval --gold data/sample/incidents.csv
fm incidents --members

echo
echo "== 11. The study's analysis (RQ1-RQ6) with every export for a paper"
fm analyze --out "$out/paper" | tee "$out/analysis.txt" | sed -n '1,/^RQ1/p'
echo "(full report in $out/analysis.txt; tables, LaTeX, JSON and SVG figures in $out/paper/, indexed by README.md)"

echo
echo "== 12. A replication package of it all: people pseudonymised under a salt kept outside the package"
head -c 32 /dev/urandom | base64 > "$out/demo.salt"
fm package "$out/package" --salt-file "$out/demo.salt"
fm package --verify "$out/package"
echo "(index: $out/package/README.md; datasheet: $out/package/DATASHEET.md; the salt: $out/demo.salt)"

echo
echo "Outputs in $out/:"
ls -1 "$out" | sed 's/^/  /'
echo "Query the database yourself: sqlite3 $out/firstmile.db 'SELECT * FROM annotation_labels LIMIT 5'"
