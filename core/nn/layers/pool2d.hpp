#pragma once
// Max and average pooling with a square window and stride equal to the window (2x2/2 in LeNet).
// Rows or columns that do not fill a window are dropped, as in Keras and PyTorch.

#include <cstdint>

#include "core/nn/layer.hpp"

namespace lenet {

enum class PoolKind { max, average };

class Pool2D final : public Layer {
 public:
  Pool2D(const Shape& input, PoolKind kind, std::size_t window);

  std::string spec() const override;
  Shape output_shape() const override { return {c_, oh_, ow_}; }
  void forward(const Tensor& x, Tensor& y) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Pool2D>(*this); }

  PoolKind kind() const { return kind_; }
  std::size_t window() const { return k_; }

 private:
  void forward_2x2(const float* x, std::size_t planes, float* y, float inv_area);

  PoolKind kind_;
  std::size_t k_, c_, h_, w_, oh_, ow_;
  std::vector<std::uint32_t> argmax_;  // max pooling: index in the input plane of each output's maximum
};

}  // namespace lenet
