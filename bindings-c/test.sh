#!/usr/bin/env bash
# Builds the C library, its pkg-config file and the C tests and example; runs the tests plainly
# and under valgrind (memcheck: no leak, no error). Called by the root test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/c
mkdir -p "$out"

cargo build -q -p fiscal-core-c
lib=$(pwd)/target/debug
# pkg-config file for this build tree (an install would write its own prefix).
sed -e "s|@LIBDIR@|$lib|" -e "s|@INCLUDEDIR@|$(pwd)/bindings-c/include|" -e "s|@VERSION@|$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)|" \
  bindings-c/fiscal_core.pc.in > "$out/fiscal_core.pc"
export PKG_CONFIG_PATH="$out"
cflags="-std=c11 -Wall -Wextra -Wpedantic -Werror -g $(pkg-config --cflags fiscal_core)"
# The test links the static archive (valgrind then sees every allocation); the example links
# the shared library the way a vendor would, through pkg-config.
cc $cflags bindings-c/tests/test_shift.c -o "$out/test_shift" "$lib/libfiscal_core.a" -lpthread -ldl -lm
cc $cflags bindings-c/examples/sell.c -o "$out/sell" $(pkg-config --libs fiscal_core)

"$out/test_shift"
LD_LIBRARY_PATH="$lib" "$out/sell" > "$out/sell.txt"
grep -q "journal valid" "$out/sell.txt"

# AddressSanitizer and UndefinedBehaviorSanitizer on the C side: every buffer the library hands
# out is malloc'd, so reads past its end or after its free are caught too.
cc $cflags -fsanitize=address,undefined -fno-omit-frame-pointer bindings-c/tests/test_shift.c \
  -o "$out/test_shift_asan" "$lib/libfiscal_core.a" -lpthread -ldl -lm
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 RUST_BACKTRACE=0 \
  "$out/test_shift_asan" > "$out/asan.txt" 2>&1 || { cat "$out/asan.txt"; echo "AddressSanitizer found errors" >&2; exit 1; }
tail -1 "$out/asan.txt"
echo "AddressSanitizer + UBSan: clean"

if command -v valgrind >/dev/null; then
  valgrind -q --error-exitcode=3 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible "$out/test_shift" > "$out/valgrind.txt" 2>&1 ||
    { cat "$out/valgrind.txt"; echo "valgrind found errors or leaks" >&2; exit 1; }
  tail -1 "$out/valgrind.txt"
  echo "valgrind: no errors, no leaks"
else
  echo "valgrind is not installed (apt-get install valgrind)" >&2
  exit 1
fi
