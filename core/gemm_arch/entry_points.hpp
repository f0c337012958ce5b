#pragma once
// Entry points of the per-arch GEMM instantiations (each in its own TU with its own flags).
#include "core/gemm_kernel.hpp"

namespace lenet::gemm_detail {
void gemm_avx512(const GemmArgs&, float*, float*);
void gemm_avx2(const GemmArgs&, float*, float*);
void gemm_sse2(const GemmArgs&, float*, float*);
void gemm_wasm_simd(const GemmArgs&, float*, float*);
void gemm_scalar(const GemmArgs&, float*, float*);
}  // namespace lenet::gemm_detail
