#pragma once
// The per-element math of training, written once for every target: core's layers, loss and
// optimisers loop over these functions on the CPU (natively and in wasm), and the CUDA kernels
// (native_trainer/cuda/kernels.cu) call the very same functions, one element per thread.
// C++17 with no includes beyond <cmath> and <cstdint>, so that nvcc compiles it too; LENET_HD
// (host_device.hpp) makes each function __host__ __device__ there and plain inline elsewhere.

#include <cmath>
#include <cstdint>

#include "core/kernels/host_device.hpp"

namespace lenet {

// --- activations (core/nn/layers/activation.cpp) -------------------------------------------------
enum class ActivationKind { relu, tanh, sigmoid };

// tanh as a rational function (Eigen's generic_fast_tanh_float: odd degree-13 numerator, even
// degree-6 denominator), within 4e-7 of the exact tanh. Chosen over tanhf for every target: it
// has no branches or library calls, so the CPU loops vectorise (SIMD128 in the page, SSE
// natively; LeNet-5 has about 8,000 tanh and sigmoid per image, which as libm calls took most of
// an inference in wasm), and the GPU computes the very same numbers as the CPU instead of
// CUDA's tanhf. The clamp keeps NaN as NaN, so a diverging run still shows a NaN loss.
LENET_HD float rational_tanh(float x) {
  constexpr float limit = 7.90531110763549805f;  // tanh is 1 - 2.6e-7 here: 1 within float precision
  x = x < -limit ? -limit : x;  // std::max(x, -limit) then std::min(x, limit): NaN passes, and
  x = limit < x ? limit : x;    // both vectorise
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
LENET_HD float rational_sigmoid(float x) { return 0.5f + 0.5f * rational_tanh(0.5f * x); }

// y = f(x). relu as std::max(x, 0): NaN stays NaN.
LENET_HD float activation_forward(ActivationKind kind, float x) {
  switch (kind) {
    case ActivationKind::relu: return x < 0.0f ? 0.0f : x;
    case ActivationKind::tanh: return rational_tanh(x);
    case ActivationKind::sigmoid: return rational_sigmoid(x);
  }
  return x;
}

// dL/dx from the output y and dL/dy (inverts activation_forward): relu y > 0, tanh 1 - y^2,
// sigmoid y (1 - y).
LENET_HD float activation_backward(ActivationKind kind, float y, float dy) {
  switch (kind) {
    case ActivationKind::relu: return y > 0.0f ? dy : 0.0f;
    case ActivationKind::tanh: return dy * (1.0f - y * y);
    case ActivationKind::sigmoid: return dy * y * (1.0f - y);
  }
  return dy;
}

// --- pooling (core/nn/layers/pool2d.cpp) ----------------------------------------------------------
// One k x k window of a plane w wide, its top-left element at `first`: the average, or the
// maximum with *argmax set to its index in the plane (the first one on ties: strict '>').
LENET_HD float pool_window(const float* plane, int w, int first, int k, bool max, std::uint32_t* argmax) {
  if (max) {
    int best = first;
    for (int i = 0; i < k; ++i)
      for (int j = 0; j < k; ++j) {
        const int at = first + i * w + j;
        if (plane[at] > plane[best]) best = at;
      }
    *argmax = static_cast<std::uint32_t>(best);
    return plane[best];
  }
  float sum = 0.0f;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) sum += plane[first + i * w + j];
  return sum * (1.0f / static_cast<float>(k * k));
}

// --- fused softmax + cross-entropy (core/nn/loss.cpp), one row ----------------------------------
// Log-sum-exp with the row maximum subtracted, in double. Writes dlogits (when not null) =
// (softmax - onehot) * grad_scale, the gradient of -log p(label); returns -log p(label);
// *predicted gets the argmax (the first on ties). A label outside [0, classes) gives NaN (the
// CPU refuses it before; the GPU trainer stops on the NaN).
LENET_HD double softmax_cross_entropy_row(const float* z, int classes, int label, float grad_scale, float* dlogits,
                                          int* predicted) {
  int best = 0;
  for (int c = 1; c < classes; ++c)
    if (z[c] > z[best]) best = c;
  const float max = z[best];
  double sum = 0.0;
  for (int c = 0; c < classes; ++c) sum += exp(static_cast<double>(z[c] - max));
  const double log_sum = log(sum);
  *predicted = best;
  if (label < 0 || label >= classes) return NAN;
  if (dlogits)
    for (int c = 0; c < classes; ++c) {
      const double p = exp(static_cast<double>(z[c] - max) - log_sum);
      dlogits[c] = static_cast<float>((p - (c == label ? 1.0 : 0.0)) * grad_scale);
    }
  return log_sum - static_cast<double>(z[label] - max);
}

// --- optimisers (core/nn/optimizer.cpp), one weight ----------------------------------------------
struct SgdHyper {
  float momentum, weight_decay;  // weight_decay: L2, added to the gradient
  bool nesterov;
};

// Keras: v = momentum v - lr g; w += v (nesterov: w += momentum v - lr g). Without momentum
// (v null): w -= lr g. g includes weight_decay w.
LENET_HD void sgd_update(float lr, const SgdHyper& h, float& w, float g, float* v) {
  const float grad = g + h.weight_decay * w;
  if (!v) {
    w -= lr * grad;
    return;
  }
  *v = h.momentum * *v - lr * grad;
  w += h.nesterov ? h.momentum * *v - lr * grad : *v;
}

struct AdamHyper {
  float beta1, beta2, epsilon, weight_decay;  // weight_decay: L2, added to the gradient
};

// Keras' bias-corrected step size for step t (1-based), in double:
// alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t).
LENET_HD float adam_alpha(float lr, float beta1, float beta2, long long t) {
  const double td = static_cast<double>(t);
  return static_cast<float>(lr * sqrt(1.0 - pow(static_cast<double>(beta2), td)) /
                            (1.0 - pow(static_cast<double>(beta1), td)));
}

// w *= shrink (AdamW's decoupled decay: 1 - lr decay, exactly 1 when off); then Keras' update
// m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); w -= alpha m / (sqrt(v) + epsilon).
LENET_HD void adam_update(float alpha, float shrink, const AdamHyper& h, float& w, float g, float& m, float& v) {
  w *= shrink;
  const float grad = g + h.weight_decay * w;
  m += (grad - m) * (1.0f - h.beta1);
  v += (grad * grad - v) * (1.0f - h.beta2);
  w -= alpha * m / (sqrtf(v) + h.epsilon);
}

}  // namespace lenet
