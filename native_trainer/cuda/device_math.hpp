#pragma once
// The per-element math of the CUDA training path, written once as __host__ __device__ functions.
// The kernels in trainer.cu are thin grid-stride loops around these; the host-side tests
// (tests/cuda/test_host_math.cpp) run the very same functions in plain loops on the CPU and hold
// them to core/'s layers, so the index math is checked even where no GPU is at hand.
//
// Every function mirrors a loop of core/ (named beside it) in its arithmetic and, where a sum is
// involved, in its order of summation.

#include <cmath>
#include <cstdint>

#ifdef __CUDACC__
#define LENET_HD __host__ __device__ __forceinline__
#else
#define LENET_HD inline
#endif

namespace lenet::cuda {

using index_t = std::int64_t;  // linear element indices (batch x channels x plane can pass 2^31)

// The convolution and pooling functions are templates on the index type I: the kernels use 32-bit
// indices whenever every buffer they touch has fewer than 2^31 elements (64-bit division is several
// times slower on a GPU), 64-bit otherwise; the arithmetic is the same.

// --- batch gathering (core/training.cpp: gather_batch) ---------------------------------------
// x[i, p] = image[order[i]][p] * scale - shift, scale = 1 / (255 std), shift = mean / std.
LENET_HD float gather_pixel(const std::uint8_t* images, const std::uint32_t* order, index_t t, int pixels, float scale,
                            float shift) {
  const index_t i = t / pixels, p = t % pixels;
  const index_t image = order ? static_cast<index_t>(order[i]) : i;
  return static_cast<float>(images[image * pixels + p]) * scale - shift;
}

// --- convolution geometry (core/layers/conv2d.cpp) --------------------------------------------
struct ConvGeom {
  int in_c, h, w;    // input plane
  int out_c, k, pad;
  int oh, ow;        // output plane: h + 2 pad - k + 1
  LENET_HD int rows() const { return in_c * k * k; }  // im2col rows (c, ki, kj)
  LENET_HD int plane() const { return oh * ow; }
};

// col [rows, n * oh * ow]: row (c, ki, kj), column (sample, oy, ox); t indexes col row-major.
template <typename I>
LENET_HD float im2col_value(const float* x, const ConvGeom& g, I t, I cols) {
  const I r = t / cols, col = t % cols;
  const int plane = g.plane();
  const I s = col / plane;
  const int within = static_cast<int>(col % plane);
  const int oy = within / g.ow, ox = within % g.ow;
  const int kj = static_cast<int>(r % g.k), ki = static_cast<int>((r / g.k) % g.k), c = static_cast<int>(r / (g.k * g.k));
  const int iy = oy + ki - g.pad, ix = ox + kj - g.pad;
  if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) return 0.0f;
  return x[((s * g.in_c + c) * g.h + iy) * g.w + ix];
}

// The adjoint of im2col as a gather (no atomics): dx at t = (s, c, iy, ix) sums the columns that
// read it, ki outer and kj inner, the order in which col2im adds them.
template <typename I>
LENET_HD float col2im_value(const float* dcol, const ConvGeom& g, I t, I cols) {
  const int ix = static_cast<int>(t % g.w);
  const int iy = static_cast<int>((t / g.w) % g.h);
  const int c = static_cast<int>((t / (static_cast<I>(g.w) * g.h)) % g.in_c);
  const I s = t / (static_cast<I>(g.w) * g.h * g.in_c);
  const int plane = g.plane();
  float sum = 0.0f;
  for (int ki = 0; ki < g.k; ++ki) {
    const int oy = iy + g.pad - ki;
    if (oy < 0 || oy >= g.oh) continue;
    for (int kj = 0; kj < g.k; ++kj) {
      const int ox = ix + g.pad - kj;
      if (ox < 0 || ox >= g.ow) continue;
      const I r = (static_cast<I>(c) * g.k + ki) * g.k + kj;
      sum += dcol[r * cols + s * plane + oy * g.ow + ox];
    }
  }
  return sum;
}

// The forward GEMM gives [out, n * plane]; y is NCHW [n, out, plane] plus the bias. t indexes y.
template <typename I>
LENET_HD float conv_output_value(const float* out_cols, const float* bias, const ConvGeom& g, I t, I cols) {
  const int plane = g.plane();
  const int p = static_cast<int>(t % plane);
  const int o = static_cast<int>((t / plane) % g.out_c);
  const I s = t / (static_cast<I>(plane) * g.out_c);
  return out_cols[static_cast<I>(o) * cols + s * plane + p] + bias[o];
}

// Backward: dy NCHW [n, out, plane] -> [out, n * plane]. t indexes the result.
template <typename I>
LENET_HD float conv_dy_cols_value(const float* dy, const ConvGeom& g, I t, I cols) {
  const int plane = g.plane();
  const int o = static_cast<int>(t / cols);
  const I col = t % cols;
  const I s = col / plane;
  const int p = static_cast<int>(col % plane);
  return dy[(s * g.out_c + o) * plane + p];
}

// --- pooling (core/layers/pool2d.cpp), window k, stride k, ragged edges dropped ----------------
struct PoolGeom {
  int c, h, w, k, oh, ow;
  bool max;
};

// t indexes y [n, c, oh, ow]; for max pooling *argmax gets the index of the maximum in its input
// plane (the first one on ties, as the CPU's strict '>' keeps).
template <typename I>
LENET_HD float pool_forward_value(const float* x, const PoolGeom& g, I t, std::uint32_t* argmax) {
  const int ox = static_cast<int>(t % g.ow), oy = static_cast<int>((t / g.ow) % g.oh);
  const I plane = t / (static_cast<I>(g.ow) * g.oh);  // sample * c + channel
  const float* in = x + plane * g.h * g.w;
  const int first = oy * g.k * g.w + ox * g.k;
  if (g.max) {
    int best = first;
    for (int i = 0; i < g.k; ++i)
      for (int j = 0; j < g.k; ++j) {
        const int at = first + i * g.w + j;
        if (in[at] > in[best]) best = at;
      }
    *argmax = static_cast<std::uint32_t>(best);
    return in[best];
  }
  float sum = 0.0f;
  for (int i = 0; i < g.k; ++i)
    for (int j = 0; j < g.k; ++j) sum += in[first + i * g.w + j];
  return sum * (1.0f / static_cast<float>(g.k * g.k));
}

// Backward as a gather: each input element belongs to at most one window. t indexes dx.
template <typename I>
LENET_HD float pool_backward_value(const float* dy, const std::uint32_t* argmax, const PoolGeom& g, I t) {
  const int ix = static_cast<int>(t % g.w), iy = static_cast<int>((t / g.w) % g.h);
  const I plane = t / (static_cast<I>(g.w) * g.h);
  const int oy = iy / g.k, ox = ix / g.k;
  if (oy >= g.oh || ox >= g.ow) return 0.0f;
  const I o = plane * g.oh * g.ow + oy * g.ow + ox;
  if (g.max) return argmax[o] == static_cast<std::uint32_t>(iy * g.w + ix) ? dy[o] : 0.0f;
  return dy[o] * (1.0f / static_cast<float>(g.k * g.k));
}

// --- activations (core/layers/activation.cpp); backward from the output y -------------------
enum class Act : int { relu = 0, tanh = 1, sigmoid = 2 };

LENET_HD float activation_forward(Act a, float x) {
  switch (a) {
    case Act::relu: return x > 0.0f ? x : 0.0f;
    case Act::tanh: return tanhf(x);
    case Act::sigmoid: return 1.0f / (1.0f + expf(-x));
  }
  return x;
}

LENET_HD float activation_backward(Act a, float y, float dy) {
  switch (a) {
    case Act::relu: return y > 0.0f ? dy : 0.0f;
    case Act::tanh: return dy * (1.0f - y * y);
    case Act::sigmoid: return dy * y * (1.0f - y);
  }
  return dy;
}

// --- fused softmax + cross-entropy (core/loss.cpp), one row ----------------------------------
// Writes dlogits (when not null) = (softmax - onehot) * grad_scale; returns the row's loss
// -log p(label) in double; *predicted gets the argmax (first on ties). A label out of range
// gives a NaN loss (the CPU throws; the trainer stops on it).
LENET_HD double softmax_ce_row(const float* z, int classes, int label, float grad_scale, float* dlogits, int* predicted) {
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

// --- optimisers (core/optimizer.cpp), one element ---------------------------------------------
struct SgdHyper {
  float momentum, weight_decay;
  bool nesterov;
};

LENET_HD void sgd_update(float lr, const SgdHyper& h, float& w, float g, float* v) {
  if (!v) {  // no momentum
    w -= lr * (g + h.weight_decay * w);
    return;
  }
  const float grad = g + h.weight_decay * w;
  *v = h.momentum * *v - lr * grad;
  w += h.nesterov ? h.momentum * *v - lr * grad : *v;
}

struct AdamHyper {
  float beta1, beta2, epsilon, weight_decay;
};

// Keras' step size for step t (1-based), computed in double as the CPU does.
LENET_HD float adam_alpha(float lr, float beta1, float beta2, long long t) {
  const double td = static_cast<double>(t);
  return static_cast<float>(lr * sqrt(1.0 - pow(static_cast<double>(beta2), td)) /
                            (1.0 - pow(static_cast<double>(beta1), td)));
}

LENET_HD void adam_update(float alpha, const AdamHyper& h, float& w, float g, float& m, float& v) {
  const float grad = g + h.weight_decay * w;
  m += (grad - m) * (1.0f - h.beta1);
  v += (grad * grad - v) * (1.0f - h.beta2);
  w -= alpha * m / (sqrtf(v) + h.epsilon);
}

}  // namespace lenet::cuda
