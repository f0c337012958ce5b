#include "loss.hpp"

#include <algorithm>
#include <cmath>

#include "error.hpp"

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
    const std::size_t best = static_cast<std::size_t>(std::max_element(z, z + classes) - z);
    const float max = z[best];
    double sum = 0.0;
    for (std::size_t c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(z[c] - max));
    const double log_sum = std::log(sum);
    result.loss_sum += log_sum - static_cast<double>(z[label] - max);
    result.correct += best == label;
    if (dlogits) {
      float* d = dlogits->data() + i * classes;
      for (std::size_t c = 0; c < classes; ++c) {
        const double p = std::exp(static_cast<double>(z[c] - max) - log_sum);
        d[c] = static_cast<float>((p - (c == label ? 1.0 : 0.0)) * grad_scale);
      }
    }
  }
  return result;
}

}  // namespace lenet
