#!/usr/bin/env bash
# classify_cards.sh [WEIGHT...] — accuracy of `firstmile classify --route rules` on the cards of
# ../shared/cards against the study's gold labels, with the root-cause priors learnt from the
# published labels of every other issue (`firstmile priors --except rules`), so that no card's
# own label is counted in the priors it is classified with. With weights, it also reports the
# root-cause accuracy at each prior weight (how flat the choice of the shipped weight is) and a
# cross-validated estimate of choosing the weight on these cards (bench/weight_cv.py).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${FIRSTMILE_SHARED:-../shared}
[ -d "$shared/cards" ] || { echo "classify_cards.sh: $shared/cards is missing (../shared beside the repository)" >&2; exit 2; }
fm=${BUILD:-build}/tools/firstmile/firstmile
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/cards.db
"$fm" import-dataset "$shared/datasets/open-llm-failures" --name open-llm-failures --db "$db" >/dev/null
"$fm" import issues "$shared/cards/dev-issues.json" --db "$db" >/dev/null
"$fm" classify --db "$db" --route rules >/dev/null
echo "== shipped rules (priors counted on all 706 published labels, the cards' own included)"
"$fm" eval --db "$db" --gold gold --pred rules | sed -n '/dimension/,/^  \*/p'
cp -r taxonomy/rules "$tmp/rules"
"$fm" priors --db "$db" --except rules -o "$tmp/rules/priors.json"
"$fm" classify --db "$db" --route rules --rules "$tmp/rules" >/dev/null
echo "== held out: priors counted without the cards' labels"
"$fm" eval --db "$db" --gold gold --pred rules | sed -n '/dimension/,/^  \*/p'
"$fm" calibrate --db "$db" --rules "$tmp/rules" --max-route 0.3 | tail -1
echo "== cross-validated calibration: folds keep a repository together, then by a hash of the link"
echo "   (the shipped text model is retrained without each fold it scores)"
"$fm" calibrate --db "$db" --rules "$tmp/rules" --max-route 0.3 --folds 5 | sed -n '/^Text model/,$p'
"$fm" calibrate --db "$db" --rules "$tmp/rules" --max-route 0.3 --folds 5 --group issue | sed -n '/^Cross-validated/,$p'
echo "== the same without the text model (rules and priors alone)"
cp -r "$tmp/rules" "$tmp/rules-alone"
rm -f "$tmp/rules-alone/text_model.json"
"$fm" calibrate --db "$db" --rules "$tmp/rules-alone" --max-route 0.3 --folds 5 | sed -n '/^Cross-validated/,$p'
"$fm" calibrate --db "$db" --rules "$tmp/rules-alone" --max-route 0.3 --folds 5 --group issue | sed -n '/^Cross-validated/,/^root_cause/p'
"$fm" calibrate --db "$db" --rules "$tmp/rules" --max-route 0.3 --folds 5 >/dev/null  # saved for what follows
echo "== by language"
"$fm" eval --db "$db" --gold gold --pred rules --by lang | sed -n '/^  en:/,$p'
for w in "$@"; do
  "$fm" priors --db "$db" --except rules --weight "$w" -o "$tmp/rules/priors.json" 2>/dev/null
  "$fm" classify --db "$db" --route rules --rules "$tmp/rules" --source "weight-$w" >/dev/null
  echo "weight $w: $("$fm" eval --db "$db" --gold gold --pred "weight-$w" | awk '$1 == "root_cause" && $2 == 1 {print "root cause top-level accuracy " $6 ", macro-F1 " $7 ", kappa " $8}')"
done
# Choosing the weight on the cards it is reported on flatters it: 2-fold cross-validation of
# that choice (pick the best weight on one half, score it on the other).
[ $# -gt 1 ] && /usr/bin/python3 bench/weight_cv.py "$db" "$@"
exit 0
