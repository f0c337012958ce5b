#pragma once
// A layer is a small object with forward and backward and its own parameters (as in tiny-dnn and
// dlib); networks are composed from layers by the architecture spec (spec.hpp, network.hpp).

#include <memory>
#include <string>
#include <vector>

#include "core/base/random.hpp"
#include "core/base/tensor.hpp"

namespace lenet {

// A trainable tensor with its gradient. The name and shape are PyTorch's ("conv1.weight",
// [out, in, k, k]). value and grad stay empty until allocate_parameters(): a layer's constructor
// only works out shapes, so that a whole spec is checked (against bounds, against a model file's
// tensors) before anything is allocated.
struct Parameter {
  std::string name;
  Shape shape;
  Tensor value;
  Tensor grad;
};

// How weights start (biases always start at zero). glorot_uniform is Keras' default;
// glorot_uniform_early_keras is Keras' in 2016, before keras PR #2252, which counted a conv
// kernel's fan-out as its filters alone (larger conv weights); the truncated normal with a fixed
// 0.1 standard deviation is what TensorFlow 1's tutorials used.
enum class Init { glorot_uniform, glorot_uniform_early_keras, he_uniform, he_normal, truncated_normal };

class Layer {
 public:
  virtual ~Layer() = default;

  // The layer as a token of an architecture spec, e.g. "conv(20,5,same)".
  virtual std::string spec() const = 0;
  // Per-sample output shape (no batch axis).
  virtual Shape output_shape() const = 0;

  // y = f(x) for a batch: x is [n, input...], y is resized to [n, output...].
  virtual void forward(const Tensor& x, Tensor& y) = 0;
  // Given the x and y of the last forward and dL/dy, writes the parameters' gradients (they are
  // overwritten, not accumulated: each layer runs once per step) and dL/dx unless dx is null
  // (the first layer needs no input gradient).
  virtual void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) = 0;

  virtual std::vector<Parameter*> parameters() { return {}; }
  // Gives every parameter zeroed storage of its shape, and its gradient the same. Network calls
  // it once the whole spec has passed its checks; a layer used on its own needs it too.
  void allocate_parameters();
  virtual void initialize(Init, Rng&) {}
  virtual std::unique_ptr<Layer> clone() const = 0;
};

}  // namespace lenet
