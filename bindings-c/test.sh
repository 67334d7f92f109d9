#!/usr/bin/env bash
# Builds the C library and runs, in order: the C tests (plainly, under ASan + UBSan and under
# valgrind), the header under every C and C++ standard, the example exactly as README.md says
# (build tree and an installed prefix), the SONAME, and the C#, Pascal and Java samples of
# lang/. Called by the root test.sh, which installs the Debian tools it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/c
mkdir -p "$out"
need() { command -v "$1" >/dev/null || { echo "$1 is not installed (apt-get install $2)" >&2; exit 1; }; }
need valgrind valgrind
need pkg-config pkg-config
need readelf binutils

cargo build -q -p fiscal-core-c
lib=$(pwd)/target/debug
cflags="-std=c11 -Wall -Wextra -Wpedantic -Werror -g $(PKG_CONFIG_PATH=$lib pkg-config --cflags fiscal_core)"
# Each C test three ways: plainly, under AddressSanitizer + UndefinedBehaviorSanitizer (every
# buffer the library hands out is malloc'd, so reads past its end or after its free are caught
# too) and under valgrind, with zero errors and no leak. The tests link the static archive
# (valgrind then sees every allocation).
#   test_shift:    a whole shift, every kind of bad input
#   test_misuse:   issue #18's misuse: two threads on one handle, a freed handle,
#                  re-activation, absurd times, huge references
#   test_recovery: fc_device_issue_receipt against the separate calls, and the crash recovery
#                  of spec/CRASH-SAFETY.md (a cut after the journal line, the replay)
#   test_dialects: fc_device_handle with NBA, Omnitech and e-Kassam requests as sent (logins,
#                  a shift, sales, strict and deployed refusals), the journal verified
for t in test_shift test_misuse test_recovery test_dialects; do
  cc $cflags "bindings-c/tests/$t.c" -o "$out/$t" "$lib/libfiscal_core.a" -lpthread -ldl -lm
  "$out/$t"
  cc $cflags -fsanitize=address,undefined -fno-omit-frame-pointer "bindings-c/tests/$t.c" \
    -o "$out/${t}_asan" "$lib/libfiscal_core.a" -lpthread -ldl -lm
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1 RUST_BACKTRACE=0 \
    "$out/${t}_asan" > "$out/${t}_asan.txt" 2>&1 ||
    { cat "$out/${t}_asan.txt"; echo "$t: AddressSanitizer found errors" >&2; exit 1; }
  valgrind -q --error-exitcode=3 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible "$out/$t" > "$out/${t}_valgrind.txt" 2>&1 ||
    { cat "$out/${t}_valgrind.txt"; echo "$t: valgrind found errors or leaks" >&2; exit 1; }
  echo "$t: $(tail -1 "$out/${t}_valgrind.txt"); ASan + UBSan and valgrind clean"
done

# The header alone under each standard (README.md, "Language standards"). Strict everywhere
# from C99 and C++11; C89 and C++98 without the three warnings cbindgen's output cannot avoid.
strict="-Wall -Wextra -Wpedantic -Werror -Ibindings-c/include -fsyntax-only"
for std in c99 c11 c17 c2x; do gcc -std=$std $strict bindings-c/tests/header_std.c; done
for std in c++11 c++14 c++17 c++20; do g++ -x c++ -std=$std $strict bindings-c/tests/header_std.c; done
gcc -std=c89 -Wall -Wextra -Werror -Wno-endif-labels -Ibindings-c/include -fsyntax-only bindings-c/tests/header_std.c
gcc -std=gnu89 -Wall -Wextra -Werror -Ibindings-c/include -fsyntax-only bindings-c/tests/header_std.c
g++ -x c++ -std=c++98 -Wall -Wextra -Werror -Wno-c++11-extensions -Ibindings-c/include -fsyntax-only bindings-c/tests/header_std.c
echo "header: C99, C11, C17, C2x, C++11, C++14, C++17, C++20 strict; C89, gnu89, C++98 as README.md says"

# The example, with the exact commands of README.md ("Build and run the example").
(
  cargo build --release -p fiscal-core-c
  export PKG_CONFIG_PATH="$PWD/target/release"
  cc -std=c99 bindings-c/examples/sell.c -o target/sell $(pkg-config --cflags --libs fiscal_core) -Wl,-rpath,"$(pkg-config --variable=libdir fiscal_core)"
  target/sell
  cc -std=c99 bindings-c/examples/sell.c -o target/sell-norpath $(pkg-config --cflags --libs fiscal_core)
  LD_LIBRARY_PATH="$PWD/target/release" target/sell-norpath
) > "$out/sell.txt" 2>&1 || { cat "$out/sell.txt"; exit 1; }
grep -q "journal valid" "$out/sell.txt"
[ "$(grep -c 'journal valid' "$out/sell.txt")" = 2 ]

# The SONAME carries FC_ABI_VERSION, and a program linked against the library asks for it.
abi=$(sed -n 's/^#define FC_ABI_VERSION \([0-9]*\)$/\1/p' bindings-c/include/fiscal_core.h)
readelf -d target/release/libfiscal_core.so | grep -q "SONAME.*\[libfiscal_core\.so\.$abi\]"
readelf -d target/sell | grep -q "NEEDED.*\[libfiscal_core\.so\.$abi\]"
echo "SONAME libfiscal_core.so.$abi; the example runs as README.md says (rpath and LD_LIBRARY_PATH)"

# Installed into a prefix, with the exact commands of README.md ("Install").
prefix=$(mktemp -d)
(
  install -Dm644 bindings-c/include/fiscal_core.h "$prefix/include/fiscal_core.h"
  install -Dm755 target/release/libfiscal_core.so "$prefix/lib/libfiscal_core.so.0"
  ln -sf libfiscal_core.so.0 "$prefix/lib/libfiscal_core.so"
  install -Dm644 target/release/libfiscal_core.a "$prefix/lib/libfiscal_core.a"
  mkdir -p "$prefix/lib/pkgconfig"
  sed -e "s|^libdir=.*|libdir=$prefix/lib|" -e "s|^includedir=.*|includedir=$prefix/include|" \
    target/release/fiscal_core.pc > "$prefix/lib/pkgconfig/fiscal_core.pc"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  cc -std=c99 bindings-c/examples/sell.c -o "$prefix/sell" $(pkg-config --cflags --libs fiscal_core) -Wl,-rpath,"$(pkg-config --variable=libdir fiscal_core)"
  "$prefix/sell"
) > "$out/sell-installed.txt" 2>&1 || { cat "$out/sell-installed.txt"; rm -rf "$prefix"; exit 1; }
rm -rf "$prefix"
grep -q "journal valid" "$out/sell-installed.txt"
echo "installed into a prefix: the example builds through pkg-config and runs"

# The declarations vendors copy (lang/): each sample issues a sale and prints its IDs.
need mcs mono-mcs
need mono mono-runtime
need fpc fpc
need javac openjdk-17-jdk-headless
[ -f /usr/share/java/jna.jar ] || { echo "JNA is not installed (apt-get install libjna-java)" >&2; exit 1; }
# The declarations of lang/ keep up with the header: every function, and every constant
# (FC_ABI_VERSION, each enumerator with its number), appears in each of the three files.
h=bindings-c/include/fiscal_core.h
funcs=$(grep -oE '^[a-z][a-z0-9_ *]* \**(fc_[a-z0-9_]+)\(' "$h" | grep -oE 'fc_[a-z0-9_]+\($' | tr -d '(' | sort -u)
consts=$(sed -nE 's/^  (FC_[A-Z0-9_]+) = ([0-9]+),$/\1 \2/p' "$h"; sed -nE 's/^#define (FC_ABI_VERSION) ([0-9]+)$/\1 \2/p' "$h")
for f in bindings-c/lang/FiscalCore.cs bindings-c/lang/fiscal_core.pas bindings-c/lang/FiscalCore.java; do
  for fn in $funcs; do grep -qE "\b$fn\b *[(:]" "$f" || { echo "$f: $fn is missing (header: $h)" >&2; exit 1; }; done
  while read -r name value; do
    grep -qE "\b$name *=  *$value\b" "$f" || { echo "$f: $name = $value is missing (header: $h)" >&2; exit 1; }
  done <<< "$consts"
  declared=$(case "$f" in
    *.cs) sed -nE 's/.* extern [A-Za-z]+ (fc_[a-z0-9_]+)\(.*/\1/p' "$f" ;;
    *.java) sed -nE 's/^        [A-Za-z]+ (fc_[a-z0-9_]+)\(.*/\1/p' "$f" ;;
    *.pas) sed -nE 's/^(function|procedure) (fc_[a-z0-9_]+)\b.*/\2/p' "$f" | grep -vx fc_take_text ;;
  esac | sort -u)
  [ "$declared" = "$funcs" ] || { echo "$f declares other functions than the header:" >&2; diff <(echo "$funcs") <(echo "$declared") >&2; exit 1; }
done
echo "lang/: $(echo "$funcs" | wc -l) functions and $(echo "$consts" | wc -l) constants in each of the three files"
rel=$PWD/target/release
check() { # <name> <output file>: a 12-hex short ID, its QR payload, the state handed out by
  # the one call (fc_device_issue_receipt), counters (uint64 out), its receipt, the same
  # receipt from fc_document_render (uint32 format and width), a status message and NBA's
  # answer to getShiftStatus through fc_device_handle (the shift opened at 09:00 Baku)
  grep -Eq '^Sale: Fiskal ID [0-9a-f]{12}$' "$2" && grep -Eq '^QR: https://.*[0-9a-f]{64}$' "$2" &&
    grep -qx 'Counters: last 3, pending 3' "$2" && grep -qx 'Receipt: names the sale' "$2" &&
    grep -qx 'State: to save' "$2" && grep -qx 'Render: same receipt' "$2" &&
    grep -Eq '^Status 210: .+' "$2" &&
    grep -qx 'Handle: {"code":0,"data":{"shift_open":true,"shift_open_time":"2026-11-23T05:00:00Z"},"message":"Successful operation"}' "$2" ||
    { cat "$2"; echo "$1 sample: unexpected output" >&2; exit 1; }
  echo "$1: $(head -1 "$2")"
}
mkdir -p "$out/lang/pas" "$out/lang/java"
mcs -nologo -define:FISCAL_CORE_SAMPLE -out:"$out/lang/sell.exe" bindings-c/lang/FiscalCore.cs
LD_LIBRARY_PATH="$rel" mono "$out/lang/sell.exe" > "$out/lang/cs.txt"
check "C# (Mono)" "$out/lang/cs.txt"
fpc -v0 -FU"$out/lang/pas" -FE"$out/lang/pas" -Fl"$rel" -k-rpath="$rel" bindings-c/lang/sell_pas.pas > "$out/lang/fpc.log" 2>&1 ||
  { cat "$out/lang/fpc.log"; exit 1; }
"$out/lang/pas/sell_pas" > "$out/lang/pas.txt"
check "Free Pascal" "$out/lang/pas.txt"
javac -encoding UTF-8 -cp /usr/share/java/jna.jar -d "$out/lang/java" bindings-c/lang/FiscalCore.java
java -cp "/usr/share/java/jna.jar:$out/lang/java" -Djna.library.path="$rel" FiscalCore > "$out/lang/java.txt"
check "Java (JNA)" "$out/lang/java.txt"
