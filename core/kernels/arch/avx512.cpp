// Compiled with -mavx512f -mfma; called only when the CPU reports AVX-512F.
#include <xsimd/xsimd.hpp>

#include "core/kernels/arch/entry_points.hpp"

namespace lenet::gemm_detail {
// 32 zmm registers: up to 14 x 2 accumulators + 2 B vectors + 1 broadcast. The transposing packs
// use 128-bit blocks (xsimd has no in-register AVX-512 float transpose).
void gemm_avx512(const GemmArgs& g, float* pa, float* pb) {
  gemm_best_mr<xsimd::batch<float, xsimd::avx512f>, 2, xsimd::batch<float, xsimd::sse2>, 14, 12, 10, 8>(g, pa, pb);
}
void direct_conv_avx512(const DirectConvArgs& a) { direct_conv_best<xsimd::batch<float, xsimd::avx512f>>(a); }
}  // namespace lenet::gemm_detail
