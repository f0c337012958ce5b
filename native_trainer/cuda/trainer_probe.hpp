#pragma once
// Layer-by-layer access to a cuda::Trainer for the GPU agreement tests (tests/cuda): one forward
// pass, the loss and backward pass, one optimiser step, each synchronous, and every activation and
// gradient copied back to the host. lenet-train never uses it; the Trainer's own interface is the
// one it trains through.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/nn/loss.hpp"
#include "native_trainer/cuda/trainer.hpp"

namespace lenet::cuda {

class TrainerProbe {
 public:
  explicit TrainerProbe(Trainer& trainer) : trainer_(trainer) {}

  void forward(const float* x, std::size_t n);             // x is [n, C, H, W]
  std::vector<float> activation(std::size_t layer) const;  // output of layer i, last forward
  // Softmax + cross-entropy on the last forward's logits (gradient of the mean over n), then
  // backward through every layer. Returns the summed loss and correct count.
  LossResult loss_and_backward(const std::uint8_t* labels, std::size_t n);
  std::vector<float> logits_gradient() const;                      // dL/dlogits
  std::vector<float> input_gradient(std::size_t layer) const;      // dL/d(input of layer i), i >= 1
  std::vector<float> parameter_gradient(std::size_t param) const;  // in Network::parameters() order
  void optimizer_step();                                           // one update from the gradients

 private:
  Trainer& trainer_;
  std::size_t rows_ = 0;  // of the last forward
};

}  // namespace lenet::cuda
