#pragma once
// Direct convolution of one image: the one-image path (the page, `lenet-train predict`) runs its
// convolutions without im2col's unrolled copy of the input and without the GEMM's packing, both
// of which cost more than the arithmetic when there is a single image to convolve. The kernel
// (direct_conv_kernel.hpp) is written once with xsimd and runs with the GEMM's instruction set.

#include <cstddef>
#include <vector>

#include "core/kernels/conv_geometry.hpp"

namespace lenet {

// Batches of at most this many images take the direct path in Conv2D::forward, image by image;
// larger ones (training, evaluation) the im2col + GEMM path, where packing is shared by the whole
// batch. Both give the same sums up to rounding (tests/core/kernels/test_direct_conv.cpp).
inline constexpr std::size_t direct_conv_max_images = 4;

// The buffers of one layer's direct convolution, reused from call to call.
struct DirectConvScratch {
  std::vector<float> padded;       // the zero-padded image (borders written once, when its size changes)
  std::vector<unsigned> offsets;   // the depth's input offsets (a function of the geometry alone)
  std::vector<float> pack;         // a few output channels' weights, interleaved
};

// y [out][oh][ow] = bias + weight [out][in][k][k] (*) x [in][h][w], stride 1, zero padding.
// A scratch must serve one geometry only (one layer).
void direct_conv(const ConvGeometry& g, const float* x, const float* weight, const float* bias, float* y,
                 DirectConvScratch& scratch);

}  // namespace lenet
