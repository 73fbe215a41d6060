#!/usr/bin/env bash
# mine_requests.sh [ISSUES] [COMMENTS] — requests spent by `firstmile mine` against the loopback
# GitHub server (tests/fake_github), next to the one-request-per-issue approach of common
# miners (bench/baseline_mine_per_issue.py); cross-references by REST timelines and by GraphQL. Run by hand after building (cmake --build build).
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-10000}
comments=${2:-30000}
build=${BUILD:-build}
unset GITHUB_TOKEN GH_TOKEN  # the REST rows run without a token; the GraphQL rows set a dummy one
fm=$build/tools/firstmile/firstmile
server=$build/tests/fake_github_server
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT

# The server runs until its stdin closes: fd 3 keeps it open.
mkfifo "$tmp/in"
"$server" acme/model "$issues" "$comments" 1 < "$tmp/in" > "$tmp/url" &
exec 3> "$tmp/in"
for _ in $(seq 50); do [ -s "$tmp/url" ] && break; sleep 0.1; done
url=$(head -1 "$tmp/url")
stats() { curl -s "$url/_stats"; }
stats >/dev/null

run() {  # label command...: wall time, peak RSS, then the server's count
  local label=$1; shift
  local start end rss
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
  end=$(date +%s%N)
  rss=$(cat "$tmp/time")
  printf '%-52s %8.2f s %7d KiB  %s\n' "$label" "$(awk -v ns=$((end - start)) 'BEGIN{print ns/1e9}')" "$rss" "$(stats)"
}

echo "repository: $issues issues (every 7th a pull request), $comments comments, 2 issue events per issue"
run "firstmile mine, first run (issues, comments, events)" "$fm" mine acme/model --db "$tmp/a.db" --api-url "$url" -q
run "firstmile mine, rerun, nothing changed" "$fm" mine acme/model --db "$tmp/a.db" --api-url "$url" -q
run "firstmile mine, first run, --no-events" "$fm" mine acme/model --db "$tmp/e.db" --api-url "$url" --no-events -q
run "firstmile mine, first run, --cross-references" "$fm" mine acme/model --db "$tmp/b.db" --api-url "$url" --cross-references -q
run "firstmile mine, rerun --cross-references, unchanged" "$fm" mine acme/model --db "$tmp/b.db" --api-url "$url" --cross-references -q
# With a token, cross-references come through GraphQL: one query per 100 issues. The loopback
# server takes any token; GITHUB_TOKEN is set for these runs only.
GITHUB_TOKEN=bench-token-not-secret run "firstmile mine, first run, --cross-references via GraphQL" "$fm" mine acme/model --db "$tmp/g.db" --api-url "$url" --cross-references -q
GITHUB_TOKEN=bench-token-not-secret run "firstmile mine, rerun --cross-references via GraphQL" "$fm" mine acme/model --db "$tmp/g.db" --api-url "$url" --cross-references -q
GITHUB_TOKEN=bench-token-not-secret run "firstmile mine, first run, --timeline via GraphQL" "$fm" mine acme/model --db "$tmp/h.db" --api-url "$url" --timeline -q
echo "cross-reference rows, REST timelines vs GraphQL: $(sqlite3 "$tmp/b.db" "SELECT count(*) FROM timeline_events WHERE event = 'cross-referenced'") / $(sqlite3 "$tmp/g.db" "SELECT count(*) FROM timeline_events WHERE event = 'cross-referenced'")"
run "per-issue baseline (comments of every issue)" /usr/bin/python3 bench/baseline_mine_per_issue.py "$url" acme/model "$tmp/c.db"
run "per-issue baseline, rerun" /usr/bin/python3 bench/baseline_mine_per_issue.py "$url" acme/model "$tmp/c.db"
run "per-issue baseline, only issues with comments" /usr/bin/python3 bench/baseline_mine_per_issue.py "$url" acme/model "$tmp/d.db" --skip-uncommented
run "per-issue baseline, comments and timeline of every issue" /usr/bin/python3 bench/baseline_mine_per_issue.py "$url" acme/model "$tmp/f.db" --timelines
