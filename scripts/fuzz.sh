#!/usr/bin/env bash
# Fuzzes every libFuzzer target in fuzz/ for a bounded time and reports what each did.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default 120 s; every target)
#
# Builds the `fuzz` preset (clang, ASan + UBSan; fuzz/ only, no llama.cpp) in build-fuzz/,
# then runs fuzz_NAME on tests/fuzz/corpus/NAME/ (read only) plus a working corpus,
# build-fuzz/corpus/NAME/, that grows from run to run, with fuzz/NAME.dict if there is one.
# An input that breaks an invariant, crashes, leaks or hangs is written to
# tests/fuzz/corpus/NAME/ (crash-*, leak-*, timeout-*, oom-*), where the unit test
# fuzz.NAME replays it: it fails until the bug is fixed, and keeps it fixed once the input
# is committed with the fix.
#
# Prints per target: executions, executions per second, coverage (edges, features), corpus
# size and crashes; then the same as JSON, also written to bench/results/fuzz-COMMIT.json.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-120}
shift $(( $# > 0 ? 1 : 0 ))
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;; esac

# clang and its libFuzzer runtime are not part of `make deps` (the test command needs neither).
if ! command -v clang++ > /dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a > /dev/null 2>&1; then
    echo "fuzz.sh: needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev (Debian 12)" >&2
    exit 2
fi
nice cmake --preset fuzz > /dev/null
nice cmake --build --preset fuzz -j"${JOBS:-2}"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for program in build-fuzz/fuzz/fuzz_*; do targets+=("${program#build-fuzz/fuzz/fuzz_}"); done
fi

commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src include tools fuzz || echo "-dirty")
results=()
total_crashes=0
printf '%-16s %8s %12s %10s %8s %8s %8s %8s\n' target seconds executions exec/s edges features corpus crashes
for name in "${targets[@]}"; do
    program=build-fuzz/fuzz/fuzz_$name
    seeds=tests/fuzz/corpus/$name
    work=build-fuzz/corpus/$name
    log=build-fuzz/fuzz-$name.log
    [ -x "$program" ] || { echo "no fuzz target '$name' ($program)" >&2; exit 2; }
    mkdir -p "$work"
    dictionary=()
    [ -f "fuzz/$name.dict" ] && dictionary=(-dict="fuzz/$name.dict")
    start=$(date +%s)
    status=0
    nice "$program" -max_total_time="$seconds" -timeout=10 -max_len=4096 -rss_limit_mb=2048 \
        -print_final_stats=1 "${dictionary[@]}" -artifact_prefix="$seeds/" "$work" "$seeds" > "$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - start ))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
    edges=$(echo "$coverage" | awk '{print $2}')
    features=$(echo "$coverage" | awk '{print $4}')
    corpus=$(find "$work" -type f | wc -l)
    artifacts=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tr '\n' ' ')
    crashes=$(echo "$artifacts" | wc -w)
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died before writing an input
    total_crashes=$(( total_crashes + crashes ))
    printf '%-16s %8s %12s %10s %8s %8s %8s %8s\n' "$name" "$elapsed" "${executions:-0}" "${per_second:-0}" \
        "${edges:-0}" "${features:-0}" "$corpus" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        echo "  $name: see $log; kept: ${artifacts:-none}" >&2
        grep -m3 -E 'invariant broken|ERROR: |runtime error' "$log" | sed 's/^/  /' >&2 || true
    fi
    artifact_list=$(for a in $artifacts; do printf '"%s",' "$a"; done)
    results+=("$(printf '{"target": "%s", "seconds": %s, "executions": %s, "exec_per_second": %s, "edges": %s, "features": %s, "corpus": %s, "crashes": %s, "inputs_kept": [%s]}' \
        "$name" "$elapsed" "${executions:-0}" "${per_second:-0}" "${edges:-0}" "${features:-0}" "$corpus" "$crashes" "${artifact_list%,}")")
done

mkdir -p bench/results
summary=bench/results/fuzz-$commit.json
{
    printf '{\n  "commit": "%s",\n  "date": "%s",\n  "compiler": "%s",\n  "sanitizers": "address,undefined",\n' \
        "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(clang++ --version | head -1)"
    printf '  "seconds_per_target": %s,\n  "cores": %s,\n  "targets": [\n' "$seconds" "$(nproc)"
    for i in "${!results[@]}"; do
        printf '    %s%s\n' "${results[$i]}" "$([ "$i" -lt $(( ${#results[@]} - 1 )) ] && echo ,)"
    done
    printf '  ]\n}\n'
} > "$summary"
cat "$summary"
echo "written to $summary" >&2
[ "$total_crashes" -eq 0 ]
