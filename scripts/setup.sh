#!/usr/bin/env bash
# setup.sh — installs what building and testing gradscope needs, once:
#   Debian packages: emscripten (the wasm compiler), clang + libclang-rt-14-dev
#   (native sanitizer and fuzz builds), chromium + fonts-wqy-microhei (browser tests, zh-Hant);
#   npm packages: `npm ci` when node_modules is missing or older than the lock file.
# Safe to run every time: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v emcc >/dev/null 2>&1 || missing+=(emscripten)
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] || missing+=(libclang-rt-14-dev)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# a CJK font, so Chromium renders the Traditional Chinese interface in screenshots
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
