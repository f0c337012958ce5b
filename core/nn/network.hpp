#pragma once
// A network built from an architecture spec: a chain of layers, the activations of the last
// forward pass (for backward), and the parameters in a fixed order with PyTorch's names.
// Copying a Network copies its layers and parameters (the trainer gives each thread a replica).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/spec.hpp"

namespace lenet {

struct ParameterShape {
  std::string name;
  Shape shape;
};

class Network {
 public:
  // Throws lenet::Error naming the layer when the spec does not fit together or exceeds the
  // bounds in tensor.hpp; nothing is allocated until the whole spec has passed.
  explicit Network(const ArchSpec& arch) : Network(arch, true) {}
  explicit Network(std::string_view preset_or_spec) : Network(parse_arch(preset_or_spec)) {}
  // The parameters the spec would have, in order, with nothing allocated: what a model file's
  // tensors are checked against before any of them is read.
  static std::vector<ParameterShape> parameter_shapes(const ArchSpec& arch);

  Network(const Network& other);
  Network& operator=(const Network& other);
  Network(Network&&) noexcept = default;
  Network& operator=(Network&&) noexcept = default;

  // Canonical spec ("input(1,28,28) conv(20,5,same) ..."), rebuilds the same network anywhere.
  std::string spec() const;
  const Shape& input_shape() const { return input_; }
  std::size_t num_classes() const { return classes_; }
  std::size_t parameter_count() const;
  std::vector<Parameter*> parameters();
  std::vector<const Parameter*> parameters() const;
  std::size_t layer_count() const { return layers_.size(); }
  const Layer& layer(std::size_t i) const { return *layers_.at(i); }
  std::vector<const Parameter*> layer_parameters(std::size_t i) const;  // layer i's, e.g. conv1.weight, conv1.bias

  // Keras' defaults: Glorot uniform kernels, zero biases.
  void initialize(Rng& rng, Init init = Init::glorot_uniform);

  // x is [n, C, H, W]; returns the logits [n, classes]. Keeps every activation for backward().
  const Tensor& forward(const Tensor& x);
  // dlogits: dL/dlogits of the last forward(); writes every parameter's gradient.
  void backward(const Tensor& dlogits);
  // Output of layer i in the last forward() (for tests and the "what each layer sees" views).
  const Tensor& activation(std::size_t i) const { return activations_.at(i + 1); }

  // Copies parameter values from another network of the same architecture.
  void copy_parameters_from(const Network& other);

 private:
  Network(const ArchSpec& arch, bool allocate);

  Shape input_;
  std::size_t classes_ = 0;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Tensor> activations_;  // [0] is the input, [i+1] the output of layer i
  std::vector<Tensor> gradients_;    // dL/d(activation), same indexing
};

}  // namespace lenet
