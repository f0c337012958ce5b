// Baseline x86-64 (no extra flags): runs on every x86-64 CPU.
#include <xsimd/xsimd.hpp>

#include "entry_points.hpp"

namespace lenet::gemm_detail {
void gemm_sse2(const GemmArgs& g, float* pa, float* pb) { gemm_best_mr<xsimd::batch<float, xsimd::sse2>, 6, 5, 4>(g, pa, pb); }
}  // namespace lenet::gemm_detail
