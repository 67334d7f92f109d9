#!/usr/bin/env bash
# Runs every fuzz target that `cargo fuzz list` names (never a hand-kept list), one after the
# other, for SECONDS each (default 60), starting from the seed corpus in corpus/<target>/.
# Runs every target even after a crash, then fails if any crashed; prints execs/s and corpus
# size per target.
#
#   fuzz/run.sh 60        # a smoke run, about 9 minutes (9 targets, `ledger` and `batch_verify` among them)
#   fuzz/run.sh 600       # a long run
#
# cargo-fuzz needs nightly features; the toolchain here is stable, so RUSTC_BOOTSTRAP=1 lets the
# stable compiler accept them. Builds are optimized with debug assertions and overflow checks
# (cargo-fuzz's default). The sanitizer is off by default: the engine is
# `#![forbid(unsafe_code)]`, and AddressSanitizer would cost 2-3x the executions for memory bugs
# safe Rust cannot have; FUZZ_SANITIZER=address turns it on.
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets="$(cargo fuzz list)"
if [ -z "$targets" ]; then
    echo "cargo fuzz list names no target" >&2
    exit 1
fi

sanitizer="${FUZZ_SANITIZER:-none}"
echo "building every target (sanitizer: $sanitizer)" >&2
cargo fuzz build -s "$sanitizer"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
summary=()
crashed=()
for t in $targets; do
    mkdir -p "corpus/$t"
    # A work copy of the corpus: new inputs go to a scratch directory (the checked-in seeds
    # stay small); crashes land in artifacts/<target>/.
    scratch="$logs/corpus-$t"
    mkdir -p "$scratch"
    echo "== $t: ${seconds}s" >&2
    status=0
    cargo fuzz run -s "$sanitizer" "$t" "$scratch" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
        >"$logs/$t.log" 2>&1 || status=$?
    execs="$(grep -Eo 'exec/s: [0-9]+' "$logs/$t.log" | tail -1 | grep -Eo '[0-9]+' || echo '?')"
    runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$logs/$t.log" | grep -Eo '[0-9]+$' || echo '?')"
    size="$(find "$scratch" -type f | wc -l | tr -d ' ')"
    line="$t: ${execs} execs/s, ${runs} runs, corpus ${size} inputs (seeds $(find "corpus/$t" -type f | wc -l | tr -d ' ')), ${seconds}s"
    echo "$line" >&2
    summary+=("$line")
    if [ "$status" -ne 0 ]; then
        grep -E -A3 "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" "$logs/$t.log" >&2 || tail -40 "$logs/$t.log" >&2
        echo "CRASH: $t (exit $status); the input is in fuzz/artifacts/$t/" >&2
        crashed+=("$t")
    fi
done
echo
echo "fuzz summary (${seconds}s a target):"
printf '  %s\n' "${summary[@]}"
if [ "${#crashed[@]}" -ne 0 ]; then
    echo "FAIL: crashed: ${crashed[*]}"
    exit 1
fi
echo "no crash"
