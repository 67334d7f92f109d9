#!/usr/bin/env bash
# The Python module's checks: build it, check its types and stubs, run its tests.
# Run from the repository root (`bash bindings-python/test.sh`); uses the virtualenv .venv at
# the root (created if missing), into which it installs what it needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n== python: %s\n' "$*"; }

command -v python3 >/dev/null || { echo "needs python3 (3.9 or later)" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
py="$root/.venv/bin/python"

step "tools (maturin, pytest, mypy; pyzmq for the token server) into .venv"
"$py" -m pip install -q --disable-pip-version-check "maturin>=1.7,<2" "pytest>=8" "mypy>=1.11" "jsonschema>=4.18" "pyzmq>=25"

step "the C library (tests/test_same_json.py compares its JSON with the module's)"
cargo build -q -p fiscal-core-c

step "build and install the module (maturin develop --release)"
cd "$root/bindings-python"
VIRTUAL_ENV="$root/.venv" PATH="$root/.venv/bin:$PATH" "$root/.venv/bin/maturin" develop --release --quiet

step "mypy --strict (package and tests)"
"$py" -m mypy python/fiscal_core tests

step "stubtest (the stubs against the built module)"
"$py" -m mypy.stubtest fiscal_core._native

step "pytest"
"$py" -m pytest -q

printf '\npython module: all checks passed\n'
