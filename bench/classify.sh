#!/usr/bin/env bash
# classify.sh [ISSUES] [RUNS] — rules-only `firstmile classify` throughput and peak memory on
# realistic report texts (bench/classify_corpus.py), next to bench/baseline_classify.py (the
# same rule files applied with Python's re). One core: taskset -c 0.
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-50000}
runs=${2:-3}
fm=${BUILD:-build}/tools/firstmile/firstmile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source bench/measure.sh

/usr/bin/python3 bench/classify_corpus.py "$issues" "$tmp/issues.jsonl"
"$fm" import issues "$tmp/issues.jsonl" --db "$tmp/bench.db" >/dev/null
echo "corpus: $issues issues, $(du -m "$tmp/issues.jsonl" | cut -f1) MB of JSON"
measure "firstmile-classify-rules" taskset -c 0 "$fm" classify --db "$tmp/bench.db" --route rules
measure "python-re-baseline" taskset -c 0 /usr/bin/python3 bench/baseline_classify.py "$tmp/bench.db"
