#include "core/kernels/direct_conv.hpp"

#include <algorithm>

#include "core/kernels/gemm.hpp"
#include "core/kernels/arch/entry_points.hpp"

namespace lenet {

void direct_conv(const ConvGeometry& g, const float* x, const float* weight, const float* bias, float* y,
                 DirectConvScratch& scratch) {
  std::vector<float>& padded = scratch.padded;
  const std::size_t ph = g.height + 2 * g.padding, pw = g.width + 2 * g.padding;
  const std::size_t size = g.in_channels * ph * pw + gemm_detail::direct_conv_slack;
  if (padded.size() != size) padded.assign(size, 0.0f);  // the borders and the slack stay zero
  if (g.padding == 0) {  // the image is its own padded image: one copy, not one call per row
    std::copy(x, x + g.in_channels * g.height * g.width, padded.data());
  } else {
    for (std::size_t c = 0; c < g.in_channels; ++c)
      for (std::size_t i = 0; i < g.height; ++i) {
        const float* src = x + (c * g.height + i) * g.width;
        std::copy(src, src + g.width, padded.data() + (c * ph + i + g.padding) * pw + g.padding);
      }
  }
  const std::size_t depth = g.in_channels * g.kernel * g.kernel;
  if (g.out_height == 1 && g.out_width == 1) {
    // One output pixel (LeNet-5's conv3): the padded image is the pixel's whole window, and the
    // layer a matrix-vector product, which the GEMM does as dot products of contiguous weight
    // rows; the tiles would fill one lane of each vector.
    std::copy(bias, bias + g.out_channels, y);
    gemm(Trans::no, Trans::no, g.out_channels, 1, depth, 1.0f, weight, depth, padded.data(), 1, 1.0f, y, 1);
    return;
  }
  if (scratch.offsets.size() != depth) {
    scratch.offsets.resize(depth);
    for (std::size_t c = 0, p = 0; c < g.in_channels; ++c)
      for (std::size_t ki = 0; ki < g.kernel; ++ki)
        for (std::size_t kj = 0; kj < g.kernel; ++kj) scratch.offsets[p++] = unsigned((c * ph + ki) * pw + kj);
  }
  scratch.pack.resize(gemm_detail::direct_conv_pack_rows * depth);
  const gemm_detail::DirectConvArgs args{padded.data(), g.in_channels, pw, g.kernel, weight, scratch.offsets.data(),
                                         scratch.pack.data(), bias, g.out_channels, g.out_height, g.out_width, y};
  gemm_detail::active_direct_conv()(args);
}

}  // namespace lenet
