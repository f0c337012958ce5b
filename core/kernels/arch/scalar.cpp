// No SIMD at all: the page's fallback module for browsers without wasm SIMD. The same kernel
// template over a four-float "vector" of plain scalars.
#include "core/kernels/arch/entry_points.hpp"

namespace lenet::gemm_detail {
namespace {
struct Scalar4 {
  static constexpr std::size_t size = 4;
  float v[4];
  Scalar4() = default;
  explicit Scalar4(float x) : v{x, x, x, x} {}
  static Scalar4 load_aligned(const float* p) { return load_unaligned(p); }
  static Scalar4 load_unaligned(const float* p) {
    Scalar4 r;
    for (int i = 0; i < 4; ++i) r.v[i] = p[i];
    return r;
  }
  void store_aligned(float* p) const { store_unaligned(p); }
  void store_unaligned(float* p) const {
    for (int i = 0; i < 4; ++i) p[i] = v[i];
  }
  friend Scalar4 operator*(const Scalar4& a, const Scalar4& b) {
    Scalar4 r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] * b.v[i];
    return r;
  }
  friend Scalar4 fma(const Scalar4& a, const Scalar4& b, const Scalar4& c) {
    Scalar4 r;
    for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] * b.v[i] + c.v[i];
    return r;
  }
};
}  // namespace

void gemm_scalar(const GemmArgs& g, float* pa, float* pb) { gemm_blocked<Scalar4, 4, 2, void>(g, pa, pb); }
void direct_conv_scalar(const DirectConvArgs& a) { direct_conv_best<Scalar4>(a); }
}  // namespace lenet::gemm_detail
