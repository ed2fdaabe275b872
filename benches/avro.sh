#!/usr/bin/env bash
# Whole runs over 1,000 generated .avsc files (benches/gen_avro.py) in temporary git repos:
#   (i)   git HEAD~1..HEAD                          10 files changed, 5 of them incompatibly
#   (ii)  git HEAD~1..HEAD, 21 commits, backward    the same last step over a longer history
#   (iii) the same, --avro-compat backward_transitive (one history walk, every earlier version)
#   (iv)  the same, --avro-compat full_transitive
# Prints the best wall time of RUNS runs and the largest peak RSS (GNU time), and the number of
# changes and blocking changes each run reported.
#
# Env: RUNS (default 5, best of), FILES (default 1000), COMMITS (default 20: the history of
# (ii)-(iv) has COMMITS+1 commits, each later one changing 10 files).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
files=${FILES:-1000}
commits=${COMMITS:-20}

cd "$root"
echo "building the release binary..." >&2
cargo build --release --quiet
bin=$root/target/release/contractdiff

if [[ ! -x /usr/bin/time ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "GNU time is needed for peak RSS: apt-get install -y time" >&2
    exit 1
fi

tmp=$(mktemp -d /tmp/contractdiff-avro-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# git with a fixed identity and no user config, commits dated one minute apart.
g() { git -C "$repo" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }
commit() {
    local date="@$((1700000000 + $1 * 60)) +0000"
    g add -A
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date g commit -q -m "revision $1"
}

# make_repo DIR LAST: revisions 0..LAST, each a commit; the last one with --breaking.
make_repo() {
    repo=$1
    mkdir -p "$repo"
    GIT_CONFIG_GLOBAL=/dev/null git init -q -b main "$repo"
    local rev
    for ((rev = 0; rev <= $2; rev++)); do
        local breaking=()
        ((rev == $2)) && breaking=(--breaking)
        python3 "$root/benches/gen_avro.py" "$repo" "$rev" --files "$files" "${breaking[@]}"
        commit "$rev"
    done
}

echo "generating $files schemas, 2 commits and $((commits + 1)) commits..." >&2
make_repo "$tmp/pair" 1
make_repo "$tmp/history" "$commits"

# once DIR CMD...: run CMD in DIR, stdout to $tmp/out.json; print "seconds peak_kb exit".
once() {
    local dir=$1 start end rc=0
    shift
    start=$(date +%s%N)
    (cd "$dir" && /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >"$tmp/out.json" 2>"$tmp/stderr") || rc=$?
    end=$(date +%s%N)
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -n 1 "$tmp/rss") $rc"
}

rows=()
# measure LABEL DIR CMD...: best wall time of $runs runs, the largest peak RSS, the changes.
measure() {
    local label=$1 dir=$2
    shift 2
    local best="" peak=0 n wall kb rc
    for ((n = 0; n < runs; n++)); do
        read -r wall kb rc < <(once "$dir" "$@")
        if ((rc > 1)); then
            echo "$label: exit $rc" >&2
            cat "$tmp/stderr" >&2
            exit 1
        fi
        best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (a == "" || b < a) ? b : a }')
        ((kb > peak)) && peak=$kb
    done
    local counts
    counts=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
changes = [c for contract in r["contracts"] for c in contract["changes"]]
print(len(r["contracts"]), len(changes), sum(1 for c in changes if c.get("blocking")), len(r["errors"]))' "$tmp/out.json")
    rows+=("$(printf '%-52s %10s %8s   %s' "$label" "$best" "$((peak / 1024))" "$counts")")
}

measure "(i) HEAD~1..HEAD (backward)" "$tmp/pair" "$bin" HEAD~1..HEAD --format json
measure "(ii) HEAD~1..HEAD, $((commits + 1)) commits (backward)" "$tmp/history" "$bin" HEAD~1..HEAD --format json
measure "(iii) the same, backward_transitive" "$tmp/history" \
    "$bin" HEAD~1..HEAD --format json --avro-compat backward_transitive
measure "(iv) the same, full_transitive" "$tmp/history" "$bin" HEAD~1..HEAD --format json --avro-compat full_transitive

echo
echo "$files .avsc files ($(du -sk "$tmp/pair/schemas" | cut -f1) KB), $(nproc) cores, best of $runs runs"
printf '%-52s %10s %8s   %s\n' "case" "wall s" "peak MB" "contracts changes blocking errors"
printf '%s\n' "${rows[@]}"
for dir in "$tmp/pair" "$tmp/history"; do
    if [[ -n $(git -C "$dir" status --porcelain) ]]; then
        echo "warning: the runs modified $dir" >&2
    fi
done
