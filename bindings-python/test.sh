#!/usr/bin/env bash
# The Python module's checks: build it, check its types and stubs, run its tests.
# Run from the repository root (`bash bindings-python/test.sh`); uses the virtualenv .venv at
# the root (created if missing), into which it installs what it needs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n== python: %s\n' "$*"; }

command -v python3 >/dev/null || { echo "needs python3 (3.10 or later)" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
py="$root/.venv/bin/python"

# Debian tools the tests use: zbarimg (QR codes scanned back from the ESC/POS raster and the
# e-mail) and chromium (the e-mail receipt at 360 and 600 px); the root test.sh installs them too.
missing=""
command -v zbarimg >/dev/null || missing="$missing zbar-tools"
command -v chromium >/dev/null || missing="$missing chromium"
if [ -n "$missing" ]; then
  step "installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

step "tools (maturin, pytest, mypy and stubs; pyzmq for the token server; cryptography for the references) into .venv"
"$py" -m pip install -q --disable-pip-version-check "maturin>=1.7,<2" "pytest>=8" "mypy>=1.11" "jsonschema>=4.18" "pyzmq>=25" \
  "tqdm>=4.66" types-tqdm types-jsonschema "cryptography>=43" \
  "dask[distributed]>=2024.1" "pyarrow>=14" "duckdb>=1.1" "matplotlib>=3.8"

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
# tests/test_wheel.py is the next step's: it needs the release wheel.
"$py" -m pytest -q --ignore=tests/test_wheel.py

step "release wheel and sdist (bash bindings-python/release.sh), installed into a fresh venv: CLI, demo, verify, README snippet, one version"
# The release build reuses the compilation of `maturin develop --release` above; bounded anyway.
dist="$root/target/dist"
timeout 1200 bash "$root/bindings-python/release.sh" "$dist" >/dev/null
FISCAL_CORE_DIST="$dist" timeout 900 "$py" -m pytest -q tests/test_wheel.py

printf '\npython module: all checks passed\n'
