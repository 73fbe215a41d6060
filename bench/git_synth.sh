#!/usr/bin/env bash
# git_synth.sh — `firstmile git` on a synthetic repository of N commits (default 20,000), built
# in seconds with `git fast-import`, against bench/baseline_git.py (`git log --numstat` into
# sqlite3 from Python), side by side; then a re-import into the same database (idempotent).
# Each commit rewrites 3 of 200 files of 40 lines (one line changed, one added); every 7th
# message closes an issue, every 5th mentions one; a tag every 1,000 commits, every other
# one annotated; a merge every 500 commits.
# FILES=20000 gives a wide tree (a model repository with its checkpoints' configs, docs and
# examples is small; a framework's is wide): files go into 100 folders of 10 groups.
# Usage: [FILES=200] bench/git_synth.sh [N] [RUNS]   (BUILD=dir picks the build tree, default build/; needs a built tree and git)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-3}
fm=${BUILD:-build}/tools/firstmile/firstmile
py=/usr/bin/python3
[ -x "$fm" ] || { echo "build first: cmake --build build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/synth.git"

echo "building a repository of $n commits..." >&2
git init -q --bare "$repo"
"$py" - "$n" "${FILES:-200}" <<'PY' | git -C "$repo" fast-import --quiet
import sys
n = int(sys.argv[1])
files = int(sys.argv[2])
out = sys.stdout
def data(text):  # ASCII only, so characters count bytes
    out.write(f"data {len(text)}\n{text}\n")
version = [0] * files
t = 1_600_000_000
side_mark = None
for i in range(1, n + 1):
    out.write(f"commit refs/heads/main\nmark :{i}\n")
    out.write(f"author Dev {i % 17} <dev{i % 17}@example.com> {t + i * 600} +0200\n")
    out.write(f"committer CI <ci@example.com> {t + i * 600 + 30} +0000\n")
    msg = f"Change {i}"
    if i % 7 == 0:
        msg += f"\n\nFixes #{i % 900 + 1}"
    elif i % 5 == 0:
        msg += f" (see #{i % 900 + 1})"
    data(msg + "\n")
    if i > 1:
        out.write(f"from :{i - 1}\n")
    if i % 500 == 0 and side_mark:
        out.write(f"merge :{side_mark}\n")
    for k in range(3):
        f = (i * 7 + k * 61) % files
        version[f] += 1
        v = version[f]
        lines = [f"file {f} line {j}" + (f" v{v}" if j == v % 40 else "") for j in range(40)]
        lines += [f"added {j}" for j in range(v % 5)]
        out.write(f"M 100644 inline src/dir{f % 10}/sub{f // 10 % 10}/file{f}.txt\n")
        data("\n".join(lines) + "\n")
    if i % 500 == 250:
        side_mark = i
    if i % 1000 == 0:
        if (i // 1000) % 2:
            out.write(f"tag v{i // 1000}.0\nfrom :{i}\ntagger Rel <rel@example.com> {t + i * 600 + 60} +0000\n")
            data(f"Release {i // 1000}.0\n")
        else:
            out.write(f"reset refs/tags/v{i // 1000}.0\nfrom :{i}\n\n")
out.flush()
PY
git -C "$repo" symbolic-ref HEAD refs/heads/main
commits=$(git -C "$repo" rev-list --count HEAD)
echo "$commits commits, $(du -sh "$repo" | cut -f1)" >&2

. bench/measure.sh

reset='rm -f "$tmp"/fm.db* "$tmp"/py.db*'
fresh=$(measure firstmile-new-db "$fm" git "$repo" --repo synth/repo --db "$tmp/fm.db")
base=$(measure python-baseline "$py" bench/baseline_git.py "$repo" "$tmp/py.db" synth repo)
reset=''
"$fm" git "$repo" --repo synth/repo --db "$tmp/keep.db" >/dev/null
again=$(measure firstmile-reimport "$fm" git "$repo" --repo synth/repo --db "$tmp/keep.db")

printf '%-20s %10s %12s\n' run median_s max_rss_kib
for line in "$fresh" "$again" "$base"; do printf '%-20s %10s %12s\n' $line; done
awk -v c="$commits" -v a="$(echo "$fresh" | cut -d' ' -f2)" -v b="$(echo "$base" | cut -d' ' -f2)" \
  'BEGIN { printf "firstmile: %.0f commits/s, baseline: %.0f commits/s, ratio %.2fx\n", c / a, c / b, b / a }'
sqlite3 "$tmp/keep.db" "SELECT 'rows: ' || (SELECT count(*) FROM commits) || ' commits, ' ||
  (SELECT count(*) FROM commit_files) || ' files, ' || (SELECT count(*) FROM commit_issue_links) || ' links, ' ||
  (SELECT count(*) FROM tags) || ' tags'" 2>/dev/null || true
