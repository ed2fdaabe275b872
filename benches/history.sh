#!/usr/bin/env bash
# The slow checks over real history, on demand (they are too slow for .ci/run's time budget):
#   - Stripe's spec, HEAD~30..HEAD in git mode (tests/stripe.rs), with its findings checked;
#   - googleapis at two revisions through both Protobuf compilers, models compared field by
#     field (tests/protobuf_compilers.rs).
# Both are ignored tests run in release; this prints how long each took.
# Needs ../shared/bench (the tests say "skipped" without it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
echo "building the release test binaries..." >&2
cargo test --release --locked --no-run --test stripe --test protobuf_compilers 2>/dev/null
for test in stripe protobuf_compilers; do
    start=$(date +%s%N)
    cargo test --release --locked --test "$test" -- --ignored --nocapture
    end=$(date +%s%N)
    echo "$test: $(( (end - start) / 1000000 )) ms"
done
