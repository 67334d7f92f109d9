#!/usr/bin/env bash
# The release artifacts of the Python package, by one command: an abi3 wheel (one wheel for
# CPython 3.10 and later on this platform) and the sdist, built with maturin in release mode.
#
#   bash bindings-python/release.sh [DIR]     # default DIR: target/dist (under the repository)
#
# Uses the maturin of .venv (bindings-python/test.sh installs it), else the one on PATH. The
# version is the workspace's (Cargo.toml [workspace.package] version), the same everywhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/target/dist}" && cd "${1:-$root/target/dist}" && pwd)"
maturin="$root/.venv/bin/maturin"
if [ -x "$maturin" ]; then
  # The interpreter `maturin develop` (bindings-python/test.sh) builds for: the same PyO3
  # configuration, so cargo reuses that compilation instead of starting again.
  export VIRTUAL_ENV="$root/.venv" PATH="$root/.venv/bin:$PATH"
else
  maturin="$(command -v maturin || true)"
fi
[ -n "$maturin" ] || { echo "needs maturin (pip install 'maturin>=1.7,<2')" >&2; exit 1; }
# Only this build's artifacts in DIR: a stale wheel of another version would be installed too.
rm -f "$out"/fiscal_core-*.whl "$out"/fiscal_core-*.tar.gz
cd "$root/bindings-python"
# The wheel from this tree (its target/ reused: `maturin develop --release` built the same),
# then the sdist on its own: `build --sdist` would compile the wheel again from the unpacked
# sdist, a cold release build each time.
"$maturin" build --release --out "$out" --quiet
"$maturin" sdist --out "$out" >/dev/null
ls "$out"/fiscal_core-*.whl "$out"/fiscal_core-*.tar.gz
