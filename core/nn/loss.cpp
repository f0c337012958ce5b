#include "core/nn/loss.hpp"

#include <algorithm>
#include <cmath>

#include "core/kernels/elementwise.hpp"
#include "core/base/error.hpp"

namespace lenet {

void softmax(const float* logits, std::size_t classes, float* probs) {
  const float max = *std::max_element(logits, logits + classes);
  float sum = 0.0f;
  for (std::size_t c = 0; c < classes; ++c) sum += probs[c] = std::exp(logits[c] - max);
  for (std::size_t c = 0; c < classes; ++c) probs[c] /= sum;
}

LossResult softmax_cross_entropy(const Tensor& logits, const std::uint8_t* labels, float grad_scale,
                                 Tensor* dlogits) {
  if (logits.dimension() != 2) throw Error("softmax_cross_entropy: logits must be [n, classes]");
  const std::size_t n = logits.shape()[0], classes = logits.shape()[1];
  if (dlogits) ensure_shape(*dlogits, {n, classes});
  LossResult result;
  for (std::size_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * classes;
    const std::size_t label = labels[i];
    if (label >= classes)
      throw Error("label " + std::to_string(label) + " is out of range for " + std::to_string(classes) + " classes");
    int predicted = 0;
    result.loss_sum += softmax_cross_entropy_row(z, int(classes), int(label), grad_scale,
                                                 dlogits ? dlogits->data() + i * classes : nullptr, &predicted);
    result.correct += std::size_t(predicted) == label;
  }
  return result;
}

}  // namespace lenet
