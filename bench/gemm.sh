#!/usr/bin/env bash
# The GEMM benchmark natively (next to OpenBLAS on one thread, in the same run) and in wasm under
# node. OpenBLAS 0.3.21 does not know Zen 4/5 and would pick its AVX2 kernels there: its AVX-512
# ones (SkylakeX) are forced where the CPU has AVX-512, and only there (elsewhere they stop with
# "Illegal instruction"); other CPUs get the kernels OpenBLAS picks itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build.sh native --target lenet_bench_gemm >/dev/null
bash scripts/build.sh wasm --target lenet_bench_gemm >/dev/null
echo "## native"
if grep -qw avx512f /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
OPENBLAS_NUM_THREADS=1 build/native/bench/lenet_bench_gemm "$@"
echo
echo "## wasm (SIMD128) under node $(node --version)"
node --no-experimental-fetch build/wasm/bench/lenet_bench_gemm.js "$@"
