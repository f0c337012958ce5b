#pragma once
// The one matrix product of the core: every dense layer and every convolution of a batch (through
// im2col), forward and backward, calls this; only the forward pass of a few images
// (direct_conv_max_images) convolves directly (direct_conv.hpp). Row-major, BLAS-like semantics:
//
//   C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C
//
// op(A) = A (A is M x K, leading dimension lda) or A^T (A is K x M) when trans_a; likewise B.
// beta == 0 overwrites C without reading it (so C may hold NaN or garbage).
// The kernel is written once with xsimd; natively it is dispatched at run time to AVX-512,
// AVX2+FMA or SSE2, in WebAssembly it is SIMD128 (or scalar in the fallback module).

#include <cstddef>
#include <string>
#include <vector>

namespace lenet {

enum class Trans : bool { no = false, yes = true };

void gemm(Trans trans_a, Trans trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);

// Name of the instruction set the kernel runs with on this machine ("avx512f", "fma3<avx2>",
// "sse2", "wasm", "scalar"): for benchmarks and reports.
const char* gemm_arch_name();

// The kernels this build can run on this CPU, best first ("avx512f", "fma3<avx2>", "sse2",
// "scalar"; "wasm" in the SIMD128 module). The best one is used unless gemm_use_arch picks
// another (tests run every kernel; benchmarks compare them); the direct convolution
// (direct_conv.hpp) follows the same choice. Not thread-safe: call it before starting threads.
std::vector<std::string> gemm_archs_available();
void gemm_use_arch(const std::string& name);

}  // namespace lenet
