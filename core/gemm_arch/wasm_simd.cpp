// WebAssembly SIMD128 (-msimd128). V8 maps the 128-bit vectors onto 16 xmm registers.
#include <xsimd/xsimd.hpp>

#include "entry_points.hpp"

namespace lenet::gemm_detail {
void gemm_wasm_simd(const GemmArgs& g, float* pa, float* pb) { gemm_best_mr<xsimd::batch<float, xsimd::wasm>, 6, 5, 4>(g, pa, pb); }
}  // namespace lenet::gemm_detail
