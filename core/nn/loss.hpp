#pragma once
// Softmax and the fused, numerically stable softmax + cross-entropy (log-sum-exp with the row
// maximum subtracted), whose gradient is simply softmax - onehot.

#include <cstddef>
#include <cstdint>

#include "core/base/tensor.hpp"

namespace lenet {

struct LossResult {
  double loss_sum = 0;      // sum over the batch of -log p(label)
  std::size_t correct = 0;  // rows whose argmax is the label

  LossResult& operator+=(const LossResult& more) {
    loss_sum += more.loss_sum;
    correct += more.correct;
    return *this;
  }
};

// logits [n, classes]; labels[n] < classes. If dlogits is not null it gets
// (softmax - onehot) * grad_scale; pass 1/batch for the gradient of the mean loss (the full
// batch's size also when this is one thread's share of it).
LossResult softmax_cross_entropy(const Tensor& logits, const std::uint8_t* labels, float grad_scale,
                                 Tensor* dlogits);

// probs[i] = softmax(logits)[i] for one row.
void softmax(const float* logits, std::size_t classes, float* probs);

}  // namespace lenet
