#!/usr/bin/env bash
# The README's test command: every check, as CI runs it (.ci/run calls exactly this).
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n== %s\n' "$*"; }

for tool in cargo rustc; do
  command -v "$tool" >/dev/null || { echo "needs the Rust toolchain ($tool not found)" >&2; exit 1; }
done
cargo fmt --version >/dev/null 2>&1 || { echo "needs rustfmt: rustup component add rustfmt" >&2; exit 1; }
cargo clippy --version >/dev/null 2>&1 || { echo "needs clippy: rustup component add clippy" >&2; exit 1; }

step "format"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "tests (unit, integration, property, spec, doc)"
cargo test --workspace

step "no_std + alloc build of the engine"
cargo build -p fiscal-core --no-default-features
cargo build -p fiscal-core --no-default-features --features json

step "demo runs"
cargo run -q -p fiscal-core --example demo >/dev/null

printf '\nall checks passed\n'
