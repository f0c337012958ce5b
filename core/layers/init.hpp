#pragma once
// Weight initialisers as Keras defines them (fans computed as Keras does for conv kernels:
// fan_in = in * kh * kw, fan_out = out * kh * kw). Biases start at zero.

#include <cstddef>

#include "core/layer.hpp"

namespace lenet {

void initialize_weights(Tensor& weight, std::size_t fan_in, std::size_t fan_out, Init init, Rng& rng);

}  // namespace lenet
