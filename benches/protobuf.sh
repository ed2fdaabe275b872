#!/usr/bin/env bash
# Protobuf engine against buf breaking on googleapis (7,227 .proto files, two revisions a year
# apart): wall time and peak RSS (largest process, protoc children included) of
#   1. git mode, `contractdiff HEAD~1..HEAD` inside a clone of the bundle;
#   2. `contractdiff diff OLD NEW` on the two revisions exported to folders;
#   3. `buf breaking NEW --against OLD` on the same folders, when buf is installed.
# Everything is written under a temp dir, never into the project. Usage: bash benches/protobuf.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$here/../shared/bench/googleapis-protos.bundle"
if [ ! -f "$bundle" ]; then
    echo "skipped: $bundle is absent"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null 2>&1 || { echo "skipped: /usr/bin/time is missing (apt-get install time)"; exit 0; }
fi
bin="${CONTRACTDIFF_BIN:-$here/target/release/contractdiff}"
if [ -z "${CONTRACTDIFF_BIN:-}" ]; then
    (cd "$here" && cargo build --release -q)
fi
work="$(mktemp -d /tmp/contractdiff-protobuf-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git clone -q "$bundle" "$work/repo"
mkdir -p "$work/old" "$work/new"
git -C "$work/repo" archive HEAD~1 | tar -x -C "$work/old"
git -C "$work/repo" archive HEAD | tar -x -C "$work/new"

# measure NAME DIR CMD...: prints "NAME  wall s  cpu s  peak MB", leaves wall seconds in $last.
# CPU time (user + sys, children included) is steadier than wall time on a shared machine.
measure() {
    local name="$1" dir="$2"
    shift 2
    local log="$work/time.log"
    (cd "$dir" && /usr/bin/time -v "$@" >"$work/out.txt" 2>"$log") || true
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk -F': ' '{print $2}' |
        awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk -F': ' '{print int($2/1024)}')
    cpu=$(grep -E 'User time|System time' "$log" | awk -F': ' '{s += $2} END {print s}')
    printf '%-34s %8.2f s wall %8.2f s cpu %7d MB peak\n' "$name" "$wall" "$cpu" "$rss"
    last="$wall"
}

echo "googleapis, HEAD~1..HEAD ($(git -C "$work/repo" ls-files '*.proto' | wc -l) .proto files at HEAD)"
measure "contractdiff HEAD~1..HEAD" "$work/repo" "$bin" HEAD~1..HEAD --format json
ours_git="$last"
measure "contractdiff diff OLD NEW" "$work" "$bin" diff old new --format json
ours_diff="$last"

buf=""
if [ -x /tmp/peers/node_modules/.bin/buf ]; then
    buf=/tmp/peers/node_modules/.bin/buf
elif command -v buf >/dev/null; then
    buf="$(command -v buf)"
fi
if [ -n "$buf" ]; then
    measure "buf breaking NEW --against OLD" "$work" "$buf" breaking new --against old
    awk -v b="$last" -v g="$ours_git" -v d="$ours_diff" \
        'BEGIN { printf "buf / contractdiff: %.1fx (git mode), %.1fx (diff mode)\n", b / g, b / d }'
else
    echo "buf not installed: no comparison"
fi
