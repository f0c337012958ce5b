#include "core/read/inference.hpp"

#include <algorithm>
#include <numeric>

#include "core/base/error.hpp"
#include "core/nn/loss.hpp"
#include "core/read/plausibility.hpp"

namespace lenet {

void check_digit_input(const Network& network) {
  if (network.input_shape() != Shape{1, digit_side, digit_side})
    throw Error("the model expects " + shape_string(network.input_shape()) + " inputs, not a 1x28x28 digit");
}

const Tensor& forward_digit(Network& network, const Normalization& norm, const Digit28& digit) {
  check_digit_input(network);
  thread_local Tensor x;
  ensure_shape(x, {1, 1, digit_side, digit_side});
  normalize(digit, norm.mean, norm.std, x.data());
  return network.forward(x);
}

Prediction classify_digit(Network& network, const Normalization& norm, const Digit28& digit, Judge judge) {
  check_digit_input(network);
  Prediction p;
  p.input = digit;
  p.empty = digit.empty;
  if (digit.empty) return p;
  const Tensor& logits = forward_digit(network, norm, digit);
  p.probabilities.resize(network.num_classes());
  softmax(logits.data(), network.num_classes(), p.probabilities.data());
  if (judge == Judge::plausibility) p.plausible = looks_like_digit(network, norm, digit, p.probabilities);
  return p;
}

std::vector<std::size_t> top_classes(const std::vector<float>& probabilities, std::size_t k) {
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), 0);
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(),
                    [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  order.resize(k);
  return order;
}

}  // namespace lenet
