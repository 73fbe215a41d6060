# measure.sh — sourced by the benchmark scripts.
# measure LABEL COMMAND...: prints "LABEL median_seconds max_rss_kib" over $runs runs (ns wall
# clock, GNU time for memory). Before each run it evaluates $reset, if set (e.g. to remove a
# database the run must create anew).
measure() {
  local label=$1; shift
  local times=() rss=0 start end m
  for ((i = 0; i < runs; i++)); do
    [ -n "${reset:-}" ] && eval "$reset"
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp/time" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    read -r m < "$tmp/time"
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')")
    (( m > rss )) && rss=$m
  done
  echo "$label $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') $rss"
}
