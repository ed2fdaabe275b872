#!/usr/bin/env bash
# Seed corpora for the fuzz targets from the project's own fixtures (tests/cases, examples,
# tests/hostile): fuzz/corpus/<target>/, which is not committed (re-run this to rebuild it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/fuzz/corpus
rm -rf "$out"
mkdir -p "$out"/{yaml,json,openapi,proto,avsc,config,buf_yaml,diff}
cd "$root"
seed() { # seed TARGET FILE...: each file's bytes, named by their hash so duplicates collapse
    local target=$1; shift
    for f in "$@"; do cp "$f" "$out/$target/$(sha1sum "$f" | cut -c1-16)"; done
}
mapfile -t yaml < <(find tests/cases examples tests/hostile -name '*.yaml' -size -256k)
mapfile -t json < <(find tests/cases examples tests/hostile -name '*.json' -size -256k)
mapfile -t proto < <(find tests/cases examples -name '*.proto')
mapfile -t avsc < <(find tests/cases examples -name '*.avsc')
seed yaml "${yaml[@]}"
seed json "${json[@]}"
seed openapi $(grep -l -E '^(openapi|swagger):|"openapi"' "${yaml[@]}" "${json[@]}")
seed proto "${proto[@]}"
seed avsc "${avsc[@]}"
seed buf_yaml $(find tests/cases -name 'buf.yaml')
find tests -name '*.toml' -path '*cases*' -name 'contractdiff.toml' -exec cp {} "$out/config/" \; || true
printf '[[contracts]]\npath = "*.proto"\nroot = "."\n[policy]\nfail_on = "risky"\n' >"$out/config/a"
printf '[[contracts]]\npath = "**/*.yaml"\nkind = "openapi"\n[[accept]]\nrule = "x.y"\nreason = "r"\nexpires = 2026-01-01\n' >"$out/config/b"
# diff: one byte for the kind (0 yaml, 1 json, 2 proto, 3 avsc), base, 0xFF, head.
n=0
for pair in tests/cases/*/*/*/; do
    base=$(find "$pair" -maxdepth 2 -type f -path '*base*' | head -n 1)
    head=$(find "$pair" -maxdepth 2 -type f -path '*head*' | head -n 1)
    [ -n "$base" ] && [ -n "$head" ] || continue
    case $base in
        *.yaml|*.yml) kind='\x00' ;; *.json) kind='\x01' ;; *.proto) kind='\x02' ;; *.avsc) kind='\x03' ;; *) continue ;;
    esac
    { printf "$kind"; cat "$base"; printf '\xff'; cat "$head"; } >"$out/diff/pair-$n"
    n=$((n + 1))
done
for target in "$out"/*; do echo "$(basename "$target"): $(ls "$target" | wc -l) seeds"; done
