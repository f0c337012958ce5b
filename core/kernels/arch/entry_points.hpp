#pragma once
// Entry points of the per-arch GEMM and direct-convolution instantiations (each arch in its own
// TU with its own flags).
#include "core/kernels/direct_conv_kernel.hpp"
#include "core/kernels/gemm_kernel.hpp"

namespace lenet::gemm_detail {
void gemm_avx512(const GemmArgs&, float*, float*);
void gemm_avx2(const GemmArgs&, float*, float*);
void gemm_sse2(const GemmArgs&, float*, float*);
void gemm_wasm_simd(const GemmArgs&, float*, float*);
void gemm_scalar(const GemmArgs&, float*, float*);

// The direct convolution of one image (direct_conv_kernel.hpp), beside each GEMM.
void direct_conv_avx512(const DirectConvArgs&);
void direct_conv_avx2(const DirectConvArgs&);
void direct_conv_sse2(const DirectConvArgs&);
void direct_conv_wasm_simd(const DirectConvArgs&);
void direct_conv_scalar(const DirectConvArgs&);
// The one of the arch the GEMM runs with (gemm.cpp), so gemm_use_arch selects both.
DirectConvFn active_direct_conv();
}  // namespace lenet::gemm_detail
