#pragma once
// One digit in, one probability per class out: the path shared by the page (through wasm) and
// `lenet-train predict`.

#include <vector>

#include "core/formats/model_io.hpp"
#include "core/ink/preprocess.hpp"

namespace lenet {

struct Prediction {
  bool empty = true;                 // nothing drawn: no probabilities
  std::vector<float> probabilities;  // softmax of the logits, one per class
  Digit28 input;                     // what the network saw (before normalisation)
  // False when the input does not look like a digit at all (an X, a tap, a letter: plausibility.hpp);
  // the probabilities are still there, but no digit should be shown. True when not judged.
  bool plausible = true;
};

// Whether classify_digit also judges if the input looks like a digit (a trace of the input, and
// four more network passes for an unusual shape: plausibility.hpp).
enum class Judge { plausibility, network_alone };

// Throws lenet::Error unless the network takes a 1x28x28 input (a digit).
void check_digit_input(const Network& network);
// One plain forward pass on the digit, normalised as the model was trained: the logits [1, classes];
// the network keeps every layer's output (Network::activation) until its next forward.
const Tensor& forward_digit(Network& network, const Normalization& norm, const Digit28& digit);

// Normalises the digit as the model was trained and runs the network on it; with
// Judge::plausibility also decides Prediction::plausible.
Prediction classify_digit(Network& network, const Normalization& norm, const Digit28& digit,
                          Judge judge = Judge::plausibility);

// Indices of the k largest probabilities, largest first.
std::vector<std::size_t> top_classes(const std::vector<float>& probabilities, std::size_t k);

}  // namespace lenet
