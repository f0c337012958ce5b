#pragma once
// Weight initialisers as Keras and TensorFlow define them. Biases start at zero.

#include <cstddef>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"

namespace lenet {

// The initialiser's name on the command line and in model metadata ("glorot-uniform", ...).
const char* init_name(Init init);
Init init_from_name(const std::string& name);  // throws lenet::Error listing the names
std::vector<std::string> init_names();

// weight is [outputs, inputs, receptive_field...] (a dense layer's receptive field is 1). Fans as
// Keras computes them: fan_in = inputs * receptive_field, fan_out = outputs * receptive_field
// (outputs alone for glorot_uniform_early_keras).
void initialize_weights(Tensor& weight, std::size_t inputs, std::size_t outputs, std::size_t receptive_field, Init init,
                        Rng& rng);

}  // namespace lenet
