#!/usr/bin/env bash
# test-native.sh — the native suites: the ASan/UBSan driver, then a short
# libFuzzer run (FUZZ_SECONDS, default 60) from the committed seed corpus.
# New inputs go to build/fuzz-corpus (not the repo); a crash leaves its input
# in build/fuzz-crashes/ — add it to tests/fuzz/corpus/ as a regression input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build.sh native
bash build.sh fuzz
echo "native: sanitizer driver"
./build/native/driver
mkdir -p build/fuzz-corpus build/fuzz-crashes
echo "native: libFuzzer for ${FUZZ_SECONDS:-60} s"
./build/native/fuzz_net -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build/fuzz-crashes/ -print_final_stats=1 build/fuzz-corpus tests/fuzz/corpus 2>&1 \
  | grep -E "^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|runtime error" || true
# libFuzzer exits non-zero on a finding; grep above hides its status, so check the crash folder.
if [ -n "$(ls -A build/fuzz-crashes 2>/dev/null)" ]; then echo "native: fuzzer found a crash: build/fuzz-crashes/"; exit 1; fi
echo "native: clean"
