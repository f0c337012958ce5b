#pragma once
// Weight initialisers as Keras and TensorFlow define them (fans computed as Keras does for conv
// kernels: fan_in = in * kh * kw, fan_out = out * kh * kw). Biases start at zero.

#include <cstddef>
#include <string>

#include "core/layer.hpp"

namespace lenet {

// The initialiser's name on the command line and in model metadata ("glorot-uniform", ...).
const char* init_name(Init init);
Init init_from_name(const std::string& name);  // throws lenet::Error listing the names

void initialize_weights(Tensor& weight, std::size_t fan_in, std::size_t fan_out, Init init, Rng& rng);

}  // namespace lenet
