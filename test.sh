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

# Debian tools the tests use: valgrind (C ABI), rsvg-convert and zbarimg (the printed QR),
# chromium (the e-mail receipt at 360 and 600 px, bindings-python/tests/test_email_receipt.py), and
# for the declarations in bindings-c/lang/: Mono (C#), Free Pascal, a JDK and JNA (Java).
missing=""
command -v valgrind >/dev/null || missing="$missing valgrind"
command -v pkg-config >/dev/null || missing="$missing pkg-config"
command -v mcs >/dev/null || missing="$missing mono-mcs"
command -v mono >/dev/null || missing="$missing mono-runtime"
command -v fpc >/dev/null || missing="$missing fpc"
command -v javac >/dev/null || missing="$missing openjdk-17-jdk-headless"
[ -f /usr/share/java/jna.jar ] || missing="$missing libjna-java"
command -v rsvg-convert >/dev/null || missing="$missing librsvg2-bin"
command -v zbarimg >/dev/null || missing="$missing zbar-tools"
command -v chromium >/dev/null || missing="$missing chromium"
if [ -n "$missing" ]; then
  step "installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

step "the repository stands alone: no tracked file names a path outside it"
# The rule catalogue and field practice live in spec/ (RULES.md, FIELD-PRACTICE.md); CI clones
# the repository with other folders beside it, so a test that reads them would pass there and
# fail on a clone alone. The conformance check below also runs on a copy of spec/ by itself.
if git rev-parse --git-dir >/dev/null 2>&1; then
  outside=$(git grep -lE '\.\./shared|shared/(domain|seeds)' -- . ':!test.sh' || true)
  [ -z "$outside" ] || { echo "tracked files point outside the repository: $outside" >&2; exit 1; }
fi

step "format"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "tests (unit, integration, property, spec, doc)"
cargo test --workspace

step "conformance vectors are current (spec/vectorgen writes them; fails naming a stale file)"
cargo run -q -p fiscal-core-vectorgen -- --check

step "engine tests again with the ring verification provider (vectors verify identically)"
cargo test -q -p fiscal-core --features ring

step "no_std + alloc build of the engine"
cargo build -p fiscal-core --no-default-features
cargo build -p fiscal-core --no-default-features --features json

step "the engine's documentation links nothing missing, with every feature set a user builds"
for features in "" "--no-default-features" "--no-default-features --features json" "--all-features"; do
  # shellcheck disable=SC2086 # the feature flags are words
  RUSTDOCFLAGS="-D warnings" cargo doc -q -p fiscal-core --no-deps $features
done

step "C ABI: C tests (-Wall -Wextra -Wpedantic -Werror), ASan, valgrind, header standards, example, SONAME, C#/Pascal/Java samples"
bash bindings-c/test.sh

step "worked example re-derived independently (Python + cryptography, SPEC.md §16)"
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check "cryptography>=43" "jsonschema>=4.18"
.venv/bin/python spec/tools/references/check_worked_example.py >/dev/null
echo "every byte of spec/worked-example.json re-derived"

step "Python module: build (maturin), mypy --strict, stubtest, pytest"
bash bindings-python/test.sh

step "conformance vectors: lint, independent Python references (decimal, device, encoding, dialects), coverage table"
# On a copy of spec/ alone: the suite a lab takes away reads nothing outside it. check_vectors.py
# runs every reference, the dialect one (references/check_dialects.py: SPEC.md §8 by hand,
# `N re-derived, M skipped, K mismatches`) among them.
alone=$(mktemp -d)
cp -r spec "$alone/spec"
.venv/bin/python "$alone/spec/tools/harness/check_vectors.py"
rm -rf "$alone"

step "demo runs"
# Its files under target/ (ignored), not a new folder in /tmp on every run.
cargo run -q -p fiscal-core --example demo -- --out target/demo >/dev/null

printf '\nall checks passed\n'
