#!/usr/bin/env bash
# `npm test`: builds every target and runs every suite.
#   1. native: the core suites (doctest through CTest), lenet-train's unit and CLI tests, the
#      SIGKILL test; where nvcc is installed the same build has the CUDA path and its tests, so the
#      GPU path always compiles (its GPU tests report themselves skipped without a GPU)
#   2. the same core suites built with em++ -msimd128, run under node, and the native-vs-wasm
#      logits cross-check
#   3. everything of 1 but CUDA under AddressSanitizer + UndefinedBehaviorSanitizer (clang), and
#      each parser's fuzzer for a 20 s smoke over its seed corpus
#   4. the page: both wasm modules (npm run build:wasm), then tests/web/ under node and in headless
#      Chromium (scripts/test_web.sh), including MNIST test digits traced into strokes and drawn
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${LENET_JOBS:-$(nproc)}"
export CTEST_OUTPUT_ON_FAILURE=1

# Each step says when it starts, so a CI log shows where the time goes (the budget: well under 30 min).
clock() { printf '%dm%02ds' $((SECONDS / 60)) $((SECONDS % 60)); }
step() { printf '\n=== %s (at %s) ===\n' "$*" "$(clock)"; }

step "native: build (with the CUDA path where nvcc is installed)"
bash scripts/build.sh native
step "native: tests"
ctest --preset native -j "$jobs"

step "wasm (SIMD128): build"
bash scripts/build.sh wasm
step "wasm (SIMD128): tests under node"
ctest --preset wasm -j "$jobs"

step "asan + ubsan: build (and the fuzzers)"
bash scripts/build.sh asan
step "asan + ubsan: tests, and a short run of each fuzzer"
ctest --preset asan -j "$jobs"

step "web page: wasm modules (SIMD128 and scalar) and browser tests"
bash scripts/test_web.sh
step "all passed"
