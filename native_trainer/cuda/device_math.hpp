#pragma once
// The GPU's index math: where each thread of a kernel in kernels.cu reads and writes, for the
// layouts the GPU uses (im2col as one matrix per batch, gathers instead of scatters). The
// arithmetic per element is core's own (core/kernels/elementwise.hpp: activations, pooling windows, the
// loss row, the optimisers), called from here and from the kernels. The host-side tests
// (tests/cuda/test_host_math.cpp) run these functions in plain loops on the CPU and hold them to
// core/'s layers, so the index math is checked even where no GPU is at hand.
//
// Each function names the loop of core/ it mirrors; where a sum is involved, it keeps that loop's
// order of summation.

#include <cstdint>

#include "core/kernels/conv_geometry.hpp"
#include "core/kernels/elementwise.hpp"

namespace lenet::cuda {

using index_t = std::int64_t;  // linear element indices (batch x channels x plane can pass 2^31)

// The convolution and pooling functions are templates on the index type I: the kernels use 32-bit
// indices whenever every buffer they touch has fewer than 2^31 elements (64-bit division is several
// times slower on a GPU), 64-bit otherwise; the arithmetic is the same.

// --- batch gathering (core/train/training.cpp: gather_batch) ---------------------------------------
// x[i, p] = image[order[i]][p] * scale - shift, scale = 1 / (255 std), shift = mean / std.
LENET_HD float gather_pixel(const std::uint8_t* images, const std::uint32_t* order, index_t t, int pixels, float scale,
                            float shift) {
  const index_t i = t / pixels, p = t % pixels;
  const index_t image = order ? static_cast<index_t>(order[i]) : i;
  return static_cast<float>(images[image * pixels + p]) * scale - shift;
}

// --- convolution (core/nn/layers/conv2d.cpp) ------------------------------------------------------
// Core's geometry with 32-bit sizes (conv_geometry.hpp says why).
using GpuConvGeometry = BasicConvGeometry<int>;

// col [rows, n * oh * ow]: row (c, ki, kj), column (sample, oy, ox); t indexes col row-major.
template <typename I>
LENET_HD float im2col_value(const float* x, const GpuConvGeometry& g, I t, I cols) {
  const I r = t / cols, col = t % cols;
  const int plane = g.out_plane();
  const I s = col / plane;
  const int within = static_cast<int>(col % plane);
  const int oy = within / g.out_width, ox = within % g.out_width;
  const int kj = static_cast<int>(r % g.kernel), ki = static_cast<int>((r / g.kernel) % g.kernel);
  const int c = static_cast<int>(r / (g.kernel * g.kernel));
  const int iy = oy + ki - g.padding, ix = ox + kj - g.padding;
  if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) return 0.0f;
  return x[((s * g.in_channels + c) * g.height + iy) * g.width + ix];
}

// The adjoint of im2col as a gather (no atomics): dx at t = (s, c, iy, ix) sums the columns that
// read it, ki outer and kj inner, the order in which col2im adds them.
template <typename I>
LENET_HD float col2im_value(const float* dcol, const GpuConvGeometry& g, I t, I cols) {
  const int ix = static_cast<int>(t % g.width);
  const int iy = static_cast<int>((t / g.width) % g.height);
  const int c = static_cast<int>((t / (static_cast<I>(g.width) * g.height)) % g.in_channels);
  const I s = t / (static_cast<I>(g.width) * g.height * g.in_channels);
  const int plane = g.out_plane();
  float sum = 0.0f;
  for (int ki = 0; ki < g.kernel; ++ki) {
    const int oy = iy + g.padding - ki;
    if (oy < 0 || oy >= g.out_height) continue;
    for (int kj = 0; kj < g.kernel; ++kj) {
      const int ox = ix + g.padding - kj;
      if (ox < 0 || ox >= g.out_width) continue;
      const I r = (static_cast<I>(c) * g.kernel + ki) * g.kernel + kj;
      sum += dcol[r * cols + s * plane + oy * g.out_width + ox];
    }
  }
  return sum;
}

// The forward GEMM gives [out, n * plane]; y is NCHW [n, out, plane] plus the bias. t indexes y.
template <typename I>
LENET_HD float conv_output_value(const float* out_cols, const float* bias, const GpuConvGeometry& g, I t, I cols) {
  const int plane = g.out_plane();
  const int p = static_cast<int>(t % plane);
  const int o = static_cast<int>((t / plane) % g.out_channels);
  const I s = t / (static_cast<I>(plane) * g.out_channels);
  return out_cols[static_cast<I>(o) * cols + s * plane + p] + bias[o];
}

// Backward: dy NCHW [n, out, plane] -> [out, n * plane]. t indexes the result.
template <typename I>
LENET_HD float conv_dy_cols_value(const float* dy, const GpuConvGeometry& g, I t, I cols) {
  const int plane = g.out_plane();
  const int o = static_cast<int>(t / cols);
  const I col = t % cols;
  const I s = col / plane;
  const int p = static_cast<int>(col % plane);
  return dy[(s * g.out_channels + o) * plane + p];
}

// --- pooling (core/nn/layers/pool2d.cpp), window k, stride k, ragged edges dropped ----------------
struct PoolGeom {
  int c, h, w, k, oh, ow;
  bool max;
};

// t indexes y [n, c, oh, ow]; for max pooling *argmax gets the index of the maximum in its input
// plane (core's pool_window).
template <typename I>
LENET_HD float pool_forward_value(const float* x, const PoolGeom& g, I t, std::uint32_t* argmax) {
  const int ox = static_cast<int>(t % g.ow), oy = static_cast<int>((t / g.ow) % g.oh);
  const I plane = t / (static_cast<I>(g.ow) * g.oh);  // sample * c + channel
  const float* in = x + plane * g.h * g.w;
  return pool_window(in, g.w, oy * g.k * g.w + ox * g.k, g.k, g.max, argmax);
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

}  // namespace lenet::cuda
