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
# Optimisation, per file, because size and speed pull apart (issue 3: the
# SIMD module + JS API ≤ 40 KB gzip). No -ffast-math anywhere: it would let
# the compiler reorder sums and drop NaN checks, and the core must report
# NaN/Inf honestly.
#   HOT_EXPLICIT  the step's loops, written with wasm_simd128.h intrinsics and
#                 a scalar twin: -O3, but no auto-vectoriser or unroller, which
#                 would only add a second vector copy of each scalar tail
#   HOT_AUTO      loops still left to the auto-vectoriser (BN's double sums, loss)
#   everything else (validation, layout, init, datasets, theory, errors): -Oz
# The link runs binaryen at -Oz in the SIMD build (-8 KB gzip against -O2, no
# measurable step-time change once memset/memcpy are wasm's bulk-memory
# instructions rather than the size-optimised libc loops) and -O2 in the scalar
# build (no bulk memory there: it targets engines without SIMD, and they may
# lack that too). emmalloc replaces dlmalloc: the core allocates only at create.
HOT_EXPLICIT="gemm_simd activation reduce stats optim net"
HOT_AUTO="batchnorm loss"
NO_AUTOVEC=(-fno-vectorize -fno-slp-vectorize -fno-unroll-loops)
# WebAssembly: standalone module, no entry point, our exports only; malloc
# returns NULL instead of aborting, and memory may grow (only at create).
WASM_FLAGS=(-sSTANDALONE_WASM --no-entry -sFILESYSTEM=0 -sABORTING_MALLOC=0 -sMALLOC=emmalloc
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB
  -sEXPORTED_FUNCTIONS="$EXPORTS" -sERROR_ON_UNDEFINED_SYMBOLS=1)

stale() {  # is $1 missing or older than any input?
  [ ! -f "$1" ] && return 0
  [ -n "$(find csrc web/limits.js build.sh -newer "$1" -type f 2>/dev/null | head -1)" ]
}

# build_wasm OUT VARIANT LINK_OPT ISA_FLAGS... — compiles every source with its
# optimisation group into build/obj/VARIANT/, then links OUT.
build_wasm() {
  local out=$1 variant=$2 link_opt=$3; shift 3
  local isa=("$@") obj=build/obj/$variant pids=()
  rm -rf "$obj"; mkdir -p "$obj"
  for src in "${SOURCES[@]}"; do
    local name opt
    name=$(basename "$src" .c)
    opt=(-Oz)
    if [[ " $HOT_EXPLICIT " == *" $name "* ]]; then opt=(-O3 "${NO_AUTOVEC[@]}")
    elif [[ " $HOT_AUTO " == *" $name "* ]]; then opt=(-O3)
    elif [ "$name" = gemm_scalar ] && [ "$variant" = scalar ]; then opt=(-O3)   # the scalar build's kernels
    fi
    emcc "${LANG_FLAGS[@]}" "${opt[@]}" "${isa[@]}" -c "$src" -o "$obj/$name.o" & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  emcc "$link_opt" "${isa[@]}" "${WASM_FLAGS[@]}" "$obj"/*.o -o "$out"
}

mkdir -p web/wasm
if stale web/wasm/gradscope-simd.wasm; then
  echo "build: web/wasm/gradscope-simd.wasm"
  build_wasm web/wasm/gradscope-simd.wasm simd -Oz -msimd128 -mbulk-memory
fi
if stale web/wasm/gradscope-scalar.wasm; then
  echo "build: web/wasm/gradscope-scalar.wasm"
  build_wasm web/wasm/gradscope-scalar.wasm scalar -O2
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
