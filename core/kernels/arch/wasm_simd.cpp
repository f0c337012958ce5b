// WebAssembly SIMD128 (-msimd128). V8 maps the 128-bit vectors onto 16 xmm registers and has no
// FMA (fma is mul + add, one more temporary): a 4 x 8 tile (8 accumulators) measured fastest
// under node 20; larger tiles spill.
#include <xsimd/xsimd.hpp>

#include "core/kernels/arch/entry_points.hpp"

namespace lenet::gemm_detail {
void gemm_wasm_simd(const GemmArgs& g, float* pa, float* pb) {
  using Vec = xsimd::batch<float, xsimd::wasm>;
  gemm_blocked<Vec, 4, 2, Vec>(g, pa, pb);
}
void direct_conv_wasm_simd(const DirectConvArgs& a) { direct_conv_best<xsimd::batch<float, xsimd::wasm>>(a); }
}  // namespace lenet::gemm_detail
