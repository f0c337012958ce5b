#!/usr/bin/env bash
# `npm test`: builds every target and runs every suite.
#   1. native core suites (doctest through CTest)
#   2. the same core suites built with em++ -msimd128, run under node, and the native-vs-wasm
#      logits cross-check
#   3. the core suites under AddressSanitizer + UndefinedBehaviorSanitizer
#   4. the page: both wasm modules (npm run build:wasm), then tests/web/ under node and in headless
#      Chromium (scripts/test_web.sh), including MNIST test digits traced into strokes and drawn
#   5. where nvcc is installed: the cuda preset's lenet-train and CUDA tests, so the GPU path
#      always compiles; its GPU tests report themselves skipped on a machine without a GPU
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${LENET_JOBS:-$(nproc)}"
export CTEST_OUTPUT_ON_FAILURE=1

step() { printf '\n=== %s ===\n' "$*"; }

step "native: build"
bash scripts/build.sh native
step "native: tests"
ctest --preset native -j "$jobs"

step "wasm (SIMD128): build"
bash scripts/build.sh wasm
step "wasm (SIMD128): tests under node"
ctest --preset wasm -j "$jobs"

step "asan + ubsan: build"
bash scripts/build.sh asan
step "asan + ubsan: tests"
ctest --preset asan -j "$jobs"

step "web page: wasm modules (SIMD128 and scalar) and browser tests"
bash scripts/test_web.sh

if [ -x /usr/local/cuda/bin/nvcc ]; then
  step "cuda: build (lenet-train and the CUDA tests only)"
  bash scripts/build.sh cuda --target lenet-train cuda_host_tests cuda_gpu_tests
  step "cuda: tests (the GPU ones skip without a GPU)"
  ctest --preset cuda -j "$jobs"
fi
