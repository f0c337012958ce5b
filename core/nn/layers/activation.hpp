#pragma once
// Element-wise activations. Backward uses the output y (relu: y > 0, tanh: 1 - y^2,
// sigmoid: y (1 - y)), so no extra state is kept.

#include "core/kernels/elementwise.hpp"
#include "core/nn/layer.hpp"

namespace lenet {

class Activation final : public Layer {
 public:
  Activation(const Shape& input, ActivationKind kind) : shape_(input), kind_(kind) {}

  std::string spec() const override;
  Shape output_shape() const override { return shape_; }
  void forward(const Tensor& x, Tensor& y) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Activation>(*this); }

  ActivationKind kind() const { return kind_; }

 private:
  Shape shape_;
  ActivationKind kind_;
};

// Reshapes [n, c, h, w] to [n, c*h*w] in NCHW order.
class Flatten final : public Layer {
 public:
  explicit Flatten(const Shape& input) : size_(shape_size(input)) {}

  std::string spec() const override { return "flatten"; }
  Shape output_shape() const override { return {size_}; }
  void forward(const Tensor& x, Tensor& y) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Flatten>(*this); }

 private:
  std::size_t size_;
};

}  // namespace lenet
