#!/usr/bin/env bash
# llm_replay.sh DIR [ANSWERS] — the LLM route on the cards of ../shared/cards measured end to
# end without a model on this machine, through llm_replay_server (tests/fake_llm/llm_replay.h),
# a loopback chat-completions endpoint that records the requests it cannot answer and replays
# answers written for them by a model outside the program.
#
# The loop:
#   1. bench/llm_replay.sh DIR
#      builds DIR/cards.db as bench/classify_cards.sh does (the study's dataset, the cards'
#      issues, rules with root-cause priors counted without the cards' labels in DIR/rules,
#      `calibrate --folds 5`), runs `classify --route llm` and `--route hybrid` against the
#      server, and so records every request in DIR/requests.jsonl: one JSON line per distinct
#      request, {"key", "model", "messages", "response_format"}.
#   2. Have a capable model answer each recorded request from its messages alone, and write one
#      line per request into ANSWERS, outside the repository:
#        {"key": "<the request's key>", "model": "<the model that answered>", "content": "<its answer>"}
#      (key: SHA-256 of the messages array as compact JSON with sorted keys).
#   3. bench/llm_replay.sh DIR ANSWERS
#      replays: `classify --route llm --llm-model <the model in ANSWERS>` and `--route hybrid`
#      (by expected gain, and by the held-out threshold of calibrate) get their answers from
#      the server, the labels are stored as llm:<model>, hybrid and hybrid-threshold, and
#      `firstmile eval` scores rules, LLM and both hybrids against gold.
#      The prompt's hints carry the rules' scores: answers recorded with other rules (another
#      text model, other priors) do not match; keep DIR (its rules) with its answers.
#      Requests still without an answer are recorded (once) and reported; run 2 and 3 again.
#
# Answers from outside models are measurements, not fixtures: keep them out of the repository
# and its tests (tests/cli/llm_replay_cli_test.cpp makes up its own).
#
# An unanswered request is answered 503 with Retry-After: 0: firstmile retries a 503 four
# times, and with no wait a recording pass takes seconds; the retry notices go to DIR/*.err.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/llm_replay.sh DIR [ANSWERS.jsonl]" >&2; exit 2; }
dir=$(mkdir -p "$1" && cd "$1" && pwd)
answers=${2:-}
shared=${FIRSTMILE_SHARED:-../shared}
[ -d "$shared/cards" ] || { echo "llm_replay.sh: $shared/cards is missing (../shared beside the repository)" >&2; exit 2; }
build=${BUILD:-build}
fm=$build/tools/firstmile/firstmile
server=$build/tests/llm_replay_server
db=$dir/cards.db

if [ ! -f "$db" ]; then
  "$fm" import-dataset "$shared/datasets/open-llm-failures" --name open-llm-failures --db "$db" >/dev/null
  "$fm" import issues "$shared/cards/dev-issues.json" --db "$db" >/dev/null
  "$fm" classify --db "$db" --route rules >/dev/null
  rm -rf "$dir/rules"
  cp -r taxonomy/rules "$dir/rules"
  "$fm" priors --db "$db" --except rules -o "$dir/rules/priors.json" >/dev/null
  "$fm" classify --db "$db" --route rules --rules "$dir/rules" >/dev/null
  "$fm" calibrate --db "$db" --rules "$dir/rules" --max-route 0.3 --folds 5 >"$dir/calibrate.txt"
fi

# The model named in the answers file: the labels are stored under its name.
model=replay-recording
if [ -n "$answers" ]; then
  model=$(/usr/bin/python3 -c '
import json, sys
names = {json.loads(l)["model"] for l in open(sys.argv[1]) if l.strip()}
if len(names) != 1: sys.exit(sys.argv[1] + ": answers by one model expected, found " + repr(sorted(names)))
print(names.pop())' "$answers")
fi

tmp=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$tmp"' EXIT
# The server runs until its stdin closes: fd 3 keeps it open.
mkfifo "$tmp/in"
"$server" --record "$dir/requests.jsonl" ${answers:+--answers "$answers"} <"$tmp/in" >"$tmp/url" 2>"$dir/server.err" &
pid=$!
exec 3>"$tmp/in"
for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
[ -s "$tmp/url" ] || { cat "$dir/server.err" >&2; exit 2; }
url=$(head -1 "$tmp/url")

llm=(--rules "$dir/rules" --llm-url "$url" --llm-model "$model")
echo "== classify --route llm (model: $model)"
"$fm" classify --db "$db" --route llm "${llm[@]}" 2>"$dir/classify-llm.err" | tee "$dir/classify-llm.txt"
echo "== classify --route hybrid (by expected gain, at most 30% of the issues)"
"$fm" classify --db "$db" --route hybrid "${llm[@]}" 2>"$dir/classify-hybrid.err" | tee "$dir/classify-hybrid.txt"
# The older rule for comparison: every issue whose confidence is below the threshold calibrate
# chose on held-out confidences (classify scores with the bins learnt on all the cards, so the
# share it routes can differ from the 30% calibrate promised).
threshold=$(sed -n 's/^Routing threshold \([0-9.]*\).*/\1/p' "$dir/calibrate.txt")
echo "== classify --route hybrid --threshold $threshold --source hybrid-threshold"
"$fm" classify --db "$db" --route hybrid --threshold "$threshold" --source hybrid-threshold "${llm[@]}" \
  2>"$dir/classify-hybrid-threshold.err" | tee "$dir/classify-hybrid-threshold.txt"
exec 3>&-
wait "$pid"
cat "$dir/server.err"

waiting=$(grep -c . "$dir/requests.jsonl" || true)
if [ -n "$answers" ]; then
  waiting=$(/usr/bin/python3 -c '
import json, sys
answered = {json.loads(l)["key"] for l in open(sys.argv[2]) if l.strip()}
print(sum(1 for l in open(sys.argv[1]) if l.strip() and json.loads(l)["key"] not in answered))' \
    "$dir/requests.jsonl" "$answers")
fi
if [ "$waiting" -gt 0 ]; then
  echo "$waiting recorded requests wait for an answer in $dir/requests.jsonl: answer them into ANSWERS and run again"
  exit 0
fi

for pred in rules "llm:$model" hybrid hybrid-threshold; do
  echo "== eval --pred $pred"
  "$fm" eval --db "$db" --gold gold --pred "$pred" | sed -n '/dimension/,/^$/p'
done
