#include "activation.hpp"

#include <algorithm>
#include <cmath>

namespace lenet {

namespace {

// tanh as a rational function (Eigen's generic_fast_tanh_float: odd degree-13 numerator, even
// degree-6 denominator), within 4e-7 of the exact tanh. Unlike std::tanh it has no branches or
// library calls, so the loops below vectorise (SIMD128 in the page, SSE natively): LeNet-5 has
// about 8,000 tanh and sigmoid per image, which as libm calls took most of an inference in wasm.
// The clamp keeps NaN as NaN, so a diverging run still shows a NaN loss.
inline float fast_tanh(float x) {
  constexpr float limit = 7.90531110763549805f;  // tanh is 1 - 2.6e-7 here: 1 within float precision
  x = std::min(std::max(x, -limit), limit);  // max/min in this order let NaN through (and vectorise)
  constexpr float a1 = 4.89352455891786e-03f, a3 = 6.37261928875436e-04f, a5 = 1.48572235717979e-05f,
                  a7 = 5.12229709037114e-08f, a9 = -8.60467152213735e-11f, a11 = 2.00018790482477e-13f,
                  a13 = -2.76076847742355e-16f;
  constexpr float b0 = 4.89352518554385e-03f, b2 = 2.26843463243900e-03f, b4 = 1.18534705686654e-04f,
                  b6 = 1.19825839466702e-06f;
  const float x2 = x * x;
  float p = x2 * a13 + a11;
  p = x2 * p + a9;
  p = x2 * p + a7;
  p = x2 * p + a5;
  p = x2 * p + a3;
  p = x2 * p + a1;
  float q = x2 * b6 + b4;
  q = x2 * q + b2;
  q = x2 * q + b0;
  return x * p / q;
}

// sigmoid(x) = (1 + tanh(x / 2)) / 2, the same approximation (within 2e-7).
inline float fast_sigmoid(float x) { return 0.5f + 0.5f * fast_tanh(0.5f * x); }

}  // namespace

std::string Activation::spec() const {
  switch (kind_) {
    case ActivationKind::relu: return "relu";
    case ActivationKind::tanh: return "tanh";
    case ActivationKind::sigmoid: return "sigmoid";
  }
  return {};
}

void Activation::forward(const Tensor& x, Tensor& y) {
  ensure_shape_like(y, x);
  const float* in = x.data();
  float* out = y.data();
  const std::size_t n = x.size();
  switch (kind_) {
    case ActivationKind::relu:
      for (std::size_t i = 0; i < n; ++i) out[i] = std::max(in[i], 0.0f);
      break;
    case ActivationKind::tanh:
      for (std::size_t i = 0; i < n; ++i) out[i] = fast_tanh(in[i]);
      break;
    case ActivationKind::sigmoid:
      for (std::size_t i = 0; i < n; ++i) out[i] = fast_sigmoid(in[i]);
      break;
  }
}

void Activation::backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) {
  if (!dx) return;
  ensure_shape_like(*dx, x);
  const float* out = y.data();
  const float* g = dy.data();
  float* d = dx->data();
  const std::size_t n = x.size();
  switch (kind_) {
    case ActivationKind::relu:
      // g[i] is read unconditionally so that the select vectorises: a branch on the sign of each
      // activation is mispredicted half the time (ReLU's outputs are about half zeros).
      for (std::size_t i = 0; i < n; ++i) {
        const float gi = g[i];
        d[i] = out[i] > 0.0f ? gi : 0.0f;
      }
      break;
    case ActivationKind::tanh:
      for (std::size_t i = 0; i < n; ++i) d[i] = g[i] * (1.0f - out[i] * out[i]);
      break;
    case ActivationKind::sigmoid:
      for (std::size_t i = 0; i < n; ++i) d[i] = g[i] * out[i] * (1.0f - out[i]);
      break;
  }
}

void Flatten::forward(const Tensor& x, Tensor& y) {
  ensure_shape(y, {x.shape()[0], size_});
  std::copy(x.data(), x.data() + x.size(), y.data());
}

void Flatten::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  if (!dx) return;
  ensure_shape_like(*dx, x);
  std::copy(dy.data(), dy.data() + dy.size(), dx->data());
}

}  // namespace lenet
