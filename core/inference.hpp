#pragma once
// One digit in, ten probabilities out: the path shared by the page (through wasm) and
// `lenet-train predict`.

#include <vector>

#include "model_io.hpp"
#include "preprocess.hpp"

namespace lenet {

struct Prediction {
  bool empty = true;                 // nothing drawn: no probabilities
  std::vector<float> probabilities;  // softmax of the logits, one per class
  Digit28 input;                     // what the network saw (before normalisation)
};

// Normalises the digit as the model was trained and runs the network on it.
Prediction classify_digit(Network& network, const Normalization& norm, const Digit28& digit);

// Indices of the k largest probabilities, largest first.
std::vector<std::size_t> top_classes(const std::vector<float>& probabilities, std::size_t k);

}  // namespace lenet
