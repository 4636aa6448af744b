#!/usr/bin/env bash
# build.sh — compiles the C core (csrc/) three ways from the same sources:
#   web/wasm/gradscope-simd.wasm    WebAssembly with SIMD128 kernels (-msimd128)
#   web/wasm/gradscope-scalar.wasm  WebAssembly without SIMD, for browsers that lack it
#   build/native/                   native builds for sanitizer and debugger runs (./build.sh native)
# Both wasm files are "standalone" (no Emscripten JS glue): web/gradscope.js
# instantiates them itself, the same way in Node and in browsers.
# Usage: ./build.sh            wasm builds (skipped when up to date)
#        ./build.sh native     + native ASan/UBSan driver
#        ./build.sh clean
set -euo pipefail
cd "$(dirname "$0")"

# Debian's emcc is a Node program that needs Debian's Node modules (acorn).
export NODE_PATH=/usr/share/nodejs

if [ "${1:-}" = clean ]; then rm -rf web/wasm build csrc/generated; exit 0; fi

node scripts/gen-limits.js   # csrc/generated/limits.h from web/limits.js

SOURCES=(csrc/*.c)
EXPORTS=$(grep -v '^#' csrc/exports.txt | sed 's/^/_/' | paste -sd, -)

# ---- flags, grouped -------------------------------------------------------
# Language and warnings: C11, warnings are errors so nothing sloppy lands.
LANG_FLAGS=(-std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Icsrc)
# Optimisation: -O3, but no -ffast-math: it would let the compiler reorder
# sums and drop NaN checks, and the core must report NaN/Inf honestly.
OPT_FLAGS=(-O3)
# WebAssembly: standalone module, no entry point, our exports only; malloc
# returns NULL instead of aborting, and memory may grow (only at create).
WASM_FLAGS=(-sSTANDALONE_WASM --no-entry -sFILESYSTEM=0 -sABORTING_MALLOC=0
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB
  -sEXPORTED_FUNCTIONS="$EXPORTS" -sERROR_ON_UNDEFINED_SYMBOLS=1)

stale() {  # is $1 missing or older than any input?
  [ ! -f "$1" ] && return 0
  [ -n "$(find csrc web/limits.js build.sh -newer "$1" -type f 2>/dev/null | head -1)" ]
}

mkdir -p web/wasm
if stale web/wasm/gradscope-simd.wasm; then
  echo "build: web/wasm/gradscope-simd.wasm"
  emcc "${LANG_FLAGS[@]}" "${OPT_FLAGS[@]}" -msimd128 "${WASM_FLAGS[@]}" "${SOURCES[@]}" -o web/wasm/gradscope-simd.wasm
fi
if stale web/wasm/gradscope-scalar.wasm; then
  echo "build: web/wasm/gradscope-scalar.wasm"
  emcc "${LANG_FLAGS[@]}" "${OPT_FLAGS[@]}" "${WASM_FLAGS[@]}" "${SOURCES[@]}" -o web/wasm/gradscope-scalar.wasm
fi

if [ "${1:-}" = fuzz ]; then
  mkdir -p build/native
  # libFuzzer (clang's -fsanitize=fuzzer; runtime from libclang-rt-14-dev) + ASan + UBSan.
  echo "build: build/native/fuzz_net (libFuzzer + ASan + UBSan)"
  clang "${LANG_FLAGS[@]}" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    "${SOURCES[@]}" tests/fuzz/fuzz_net.c -lm -o build/native/fuzz_net
fi

if [ "${1:-}" = native ]; then
  mkdir -p build/native
  # Native build of the same sources with AddressSanitizer + UndefinedBehaviorSanitizer.
  SAN_FLAGS=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  echo "build: build/native/driver (ASan + UBSan)"
  clang "${LANG_FLAGS[@]}" "${SAN_FLAGS[@]}" "${SOURCES[@]}" tests/native/driver.c -lm -o build/native/driver
fi
