#!/usr/bin/env bash
# Whole runs on Stripe's published spec history against the parse floor (benches/parse_floor.rs):
#   (i)   git mode   contractdiff HEAD~1..HEAD --format json
#   (ii)  diff mode  the same two files exported with `git show`
#   (iii) floor      parsing both files with the same parser, nothing else
#   (iv)  git mode   contractdiff HEAD~30..HEAD --format json
# Goal (issue): a pair under 1.5x the floor and under 0.5 s on 2 cores.
#
# Env: RUNS (default 5, best of), BUDGET (default 60: seconds after which a row stops repeating,
# so a pathological row costs one run, not five), STRIPE_BUNDLE (default ../shared/bench/...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bundle=${STRIPE_BUNDLE:-$root/../shared/bench/stripe-spec3-history.bundle}
runs=${RUNS:-5}
budget=${BUDGET:-60}
if [[ ! -f $bundle ]]; then
    echo "skipped: ../shared/bench/stripe-spec3-history.bundle not present"
    exit 0
fi

cd "$root"
echo "building release binaries..." >&2
cargo build --release --quiet
floor=$(cargo bench --bench parse_floor --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "parse_floor" and m.get("executable"):
        print(m["executable"])')
bin=$root/target/release/contractdiff

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -c init.defaultBranch=main clone -q "$bundle" "$tmp/repo"
# The spec: the largest YAML or JSON file in the tree.
spec=$(cd "$tmp/repo" && git ls-files -z '*.yaml' '*.yml' '*.json' | xargs -0 ls -S | head -n 1)
name=$(basename "$spec")
mkdir -p "$tmp/old" "$tmp/new"
git -C "$tmp/repo" show "HEAD~1:$spec" >"$tmp/old/$name"
git -C "$tmp/repo" show "HEAD:$spec" >"$tmp/new/$name"

# Peak RSS comes from /usr/bin/time (GNU time); without it, from getrusage in Python.
if [[ ! -x /usr/bin/time ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq time >/dev/null 2>&1 || true
fi

# once OUT CMD...: run CMD (cwd: the clone) with stdout to OUT; print "seconds peak_kb exit".
once() {
    local out=$1
    shift
    if [[ -x /usr/bin/time ]]; then
        local start end rc=0
        start=$(date +%s%N)
        (cd "$tmp/repo" && /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >"$out" 2>"$tmp/stderr") || rc=$?
        end=$(date +%s%N)
        # %e has 10 ms resolution; wall time is taken around the call instead.
        echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -n 1 "$tmp/rss") $rc"
    else
        (cd "$tmp/repo" && python3 -c '
import resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
wall = time.perf_counter() - start
print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {rc}")' "$out" "$tmp/stderr" "$@")
    fi
}

floor_s=""
rows=()
# measure LABEL CMD...: best wall time of up to $runs runs, the largest peak RSS, the change count.
measure() {
    local label=$1
    shift
    local best="" peak=0 n=0 total=0 wall kb rc
    while ((n < runs)); do
        read -r wall kb rc < <(once "$tmp/out.json" "$@")
        if ((rc > 1)); then
            echo "$label: exit $rc" >&2
            cat "$tmp/stderr" >&2
            exit 1
        fi
        n=$((n + 1))
        best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (a == "" || b < a) ? b : a }')
        ((kb > peak)) && peak=$kb
        total=$(awk -v t="$total" -v w="$wall" 'BEGIN { print t + w }')
        awk -v t="$total" -v b="$budget" 'BEGIN { exit !(t > b) }' && break
    done
    local changes
    changes=$(python3 -c '
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    print(sum(len(c["changes"]) for c in r["contracts"]))
except ValueError:
    print("-")' "$tmp/out.json")
    [[ -z $floor_s ]] && floor_s=$best
    local ratio
    ratio=$(awk -v a="$best" -v f="$floor_s" 'BEGIN { printf "%.1fx", a / f }')
    rows+=("$(printf '%-44s %4s %10s %10s %9s %9s' "$label" "$n" "$best" "$((peak / 1024))" "$ratio" "$changes")")
}

measure "(iii) floor: parse both files" "$floor" "$tmp/old/$name" "$tmp/new/$name"
floor_detail=$(cat "$tmp/out.json")
measure "(iii') floor, one file after the other" "$floor" "$tmp/old/$name" "$tmp/new/$name" --sequential
measure "(i) git HEAD~1..HEAD --format json" "$bin" HEAD~1..HEAD --format json
measure "(ii) diff OLD NEW --format json" "$bin" diff "$tmp/old/$name" "$tmp/new/$name" --format json
measure "(iv) git HEAD~30..HEAD --format json" "$bin" HEAD~30..HEAD --format json

echo
echo "spec: $spec ($(wc -c <"$tmp/new/$name") bytes), $(nproc) cores, best of up to $runs runs (budget ${budget}s per row)"
echo "floor in-process: $floor_detail"
printf '%-44s %4s %10s %10s %9s %9s\n' "case" "runs" "wall s" "peak MB" "x floor" "changes"
printf '%s\n' "${rows[@]}"
echo "goal: a pair (i, ii) under 1.5x the floor and under 0.5 s"
if [[ -n $(git -C "$tmp/repo" status --porcelain) ]]; then
    echo "warning: the runs modified the clone" >&2
fi
