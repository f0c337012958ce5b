// Compiled with -mavx2 -mfma; called only when the CPU reports AVX2 and FMA.
#include <xsimd/xsimd.hpp>

#include "core/kernels/arch/entry_points.hpp"

namespace lenet::gemm_detail {
// 16 ymm registers: up to 6 x 2 accumulators + 2 B vectors + 1 broadcast.
void gemm_avx2(const GemmArgs& g, float* pa, float* pb) {
  gemm_best_mr<xsimd::batch<float, xsimd::fma3<xsimd::avx2>>, 2, xsimd::batch<float, xsimd::sse2>, 6, 5, 4>(g, pa, pb);
}
void direct_conv_avx2(const DirectConvArgs& a) {
  direct_conv_best<xsimd::batch<float, xsimd::fma3<xsimd::avx2>>>(a);
}
}  // namespace lenet::gemm_detail
