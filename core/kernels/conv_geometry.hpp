#pragma once
// The sizes of one convolution layer, written once for the CPU's direct convolution and im2col
// and for the CUDA kernels' index math (native_trainer/cuda/device_math.hpp), which nvcc compiles:
// hence LENET_HD and no includes beyond the standard ones.

#include <cstddef>

#include "core/kernels/host_device.hpp"

namespace lenet {

// Input [in_channels, height, width], output [out_channels, out_height, out_width], stride 1,
// out_height = height + 2 padding - kernel + 1. Index is std::size_t on the CPU; the GPU's
// kernels hold the same sizes as int, since they divide by them and 32-bit division is several
// times faster there than 64-bit.
template <typename Index>
struct BasicConvGeometry {
  Index in_channels, height, width, out_channels, kernel, padding, out_height, out_width;

  // Elements of one input patch (channel, ki, kj): the rows of im2col's matrix.
  LENET_HD Index patch_size() const { return in_channels * kernel * kernel; }
  LENET_HD Index out_plane() const { return out_height * out_width; }
};

using ConvGeometry = BasicConvGeometry<std::size_t>;

}  // namespace lenet
