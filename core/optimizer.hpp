#pragma once
// Optimisers as Keras defines them, bound to a network's parameters. Their state (velocities,
// moments, step count) is exposed by name so that checkpoints can save and restore it.

#include <memory>
#include <string>
#include <vector>

#include "layer.hpp"

namespace lenet {

struct SgdConfig {
  float learning_rate = 0.01f;
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;  // L2: weight_decay * w is added to the gradient (as PyTorch's SGD)
};

struct AdamConfig {  // Keras defaults
  float learning_rate = 0.001f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-7f;
  float weight_decay = 0.0f;  // L2, added to the gradient
};

class Optimizer {
 public:
  explicit Optimizer(std::vector<Parameter*> params) : params_(std::move(params)) {}
  virtual ~Optimizer() = default;

  // One update of every parameter from its .grad.
  virtual void step() = 0;
  virtual std::string name() const = 0;
  virtual float learning_rate() const = 0;
  virtual void set_learning_rate(float lr) = 0;

  // Named state tensors ("momentum.conv1.weight", "adam_m.fc1.bias", ...) for checkpoints.
  std::vector<std::pair<std::string, Tensor*>> state();
  long long steps() const { return steps_; }
  void set_steps(long long s) { steps_ = s; }

 protected:
  // One zero tensor per parameter, shaped like it, named prefix + "." + parameter name.
  void add_slot(const std::string& prefix, std::vector<Tensor>& slot);

  std::vector<Parameter*> params_;
  long long steps_ = 0;

 private:
  std::vector<std::pair<std::string, std::vector<Tensor>*>> slots_;
};

class Sgd final : public Optimizer {
 public:
  Sgd(std::vector<Parameter*> params, SgdConfig config);
  void step() override;
  std::string name() const override { return "sgd"; }
  float learning_rate() const override { return config_.learning_rate; }
  void set_learning_rate(float lr) override { config_.learning_rate = lr; }
  const SgdConfig& config() const { return config_; }  // the CUDA path runs the same rule on the device

 private:
  SgdConfig config_;
  std::vector<Tensor> velocity_;
};

class Adam final : public Optimizer {
 public:
  Adam(std::vector<Parameter*> params, AdamConfig config);
  void step() override;
  std::string name() const override { return "adam"; }
  float learning_rate() const override { return config_.learning_rate; }
  void set_learning_rate(float lr) override { config_.learning_rate = lr; }
  const AdamConfig& config() const { return config_; }

 private:
  AdamConfig config_;
  std::vector<Tensor> m_, v_;
};

}  // namespace lenet
