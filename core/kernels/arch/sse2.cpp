// Baseline x86-64 (no extra flags): runs on every x86-64 CPU. 16 xmm registers: up to 6 x 2
// accumulators + 2 B vectors + 1 broadcast.
#include <xsimd/xsimd.hpp>

#include "core/kernels/arch/entry_points.hpp"

namespace lenet::gemm_detail {
void gemm_sse2(const GemmArgs& g, float* pa, float* pb) {
  using Vec = xsimd::batch<float, xsimd::sse2>;
  gemm_best_mr<Vec, 2, Vec, 6, 5, 4>(g, pa, pb);
}
void direct_conv_sse2(const DirectConvArgs& a) { direct_conv_best<xsimd::batch<float, xsimd::sse2>>(a); }
}  // namespace lenet::gemm_detail
