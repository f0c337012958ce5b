#pragma once
// Fully connected layer y = x W^T + b with PyTorch's weight [out, in]. An image input is
// flattened in NCHW order (as torch.flatten does), so the weights match PyTorch's.

#include "core/nn/layer.hpp"

namespace lenet {

class Dense final : public Layer {
 public:
  Dense(const Shape& input, std::size_t units, std::string param_prefix);

  std::string spec() const override { return "dense(" + std::to_string(out_) + ")"; }
  Shape output_shape() const override { return {out_}; }
  void forward(const Tensor& x, Tensor& y) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
  std::vector<Parameter*> parameters() override { return {&weight_, &bias_}; }
  void initialize(Init init, Rng& rng) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Dense>(*this); }

 private:
  std::size_t in_, out_;
  Parameter weight_, bias_;
};

}  // namespace lenet
