#pragma once
// Optimisers as Keras defines them, bound to a network's parameters. Their state (velocities,
// moments, step count) is exposed by name so that checkpoints can save and restore it.

#include <memory>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"

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
  // AdamW (Loshchilov & Hutter 2019, as PyTorch's AdamW): each step first shrinks the weights by
  // learning_rate * decoupled_weight_decay, outside the moments.
  float decoupled_weight_decay = 0.0f;
};

// The update rules the trainers offer: Keras' SGD (with optional momentum) and Adam.
enum class OptimizerKind { sgd, adam };
const char* optimizer_name(OptimizerKind kind);            // "sgd", "adam"
OptimizerKind optimizer_from_name(const std::string& name);  // throws lenet::Error naming the choices
// Keras' default learning rate of each: 0.01 for sgd, 0.001 for adam.
float default_learning_rate(OptimizerKind kind);

// The learning rate over a run: constant (as every seed did); cosine annealing from the base rate
// to 0 over all steps (Loshchilov & Hutter 2017), which lets a small network settle into a better
// optimum than a constant rate does; step, a tenth of the rate after every `every` epochs
// (PyTorch's StepLR, gamma 0.1); plateau, a tenth after `patience` epochs without a lower
// validation loss (Keras' ReduceLROnPlateau, factor 0.1).
enum class LrSchedule { constant, cosine, step, plateau };
const char* lr_schedule_name(LrSchedule s);
LrSchedule lr_schedule_from_name(const std::string& name);  // throws lenet::Error naming the choices
std::vector<std::string> lr_schedule_names();

// Where a run is, for its rate: step `step` (0-based) of `total_steps`, `epochs_done` whole epochs
// behind it, and the plateau schedule's factor so far.
struct ScheduleState {
  std::size_t step = 0, total_steps = 0, epochs_done = 0;
  std::size_t every = 1;          // step: epochs between divisions
  float plateau_factor = 1.0f;    // plateau: 0.1 per plateau so far
};
float scheduled_learning_rate(LrSchedule schedule, float base, const ScheduleState& at);

// The best (lowest) value seen and how many observations since it: the patience of early
// stopping and of the plateau schedule (Keras' mode "min", min_delta 0).
struct Patience {
  double best = 0;
  std::size_t best_at = 0, waited = 0;  // best_at: the observation's number, from 1; 0: none yet
  std::size_t seen = 0;
  // Records a value; true if it is the best so far (a NaN never is).
  bool observe(double value);
};

// Calls fn(parameter index, first, end) for the part of each parameter's elements that lies in
// [begin, end) of all parameters' elements laid end to end: how a driver splits an update (or a
// copy of the weights) over threads.
template <class Fn>
void for_each_span(const std::vector<Parameter*>& params, std::size_t begin, std::size_t end, Fn&& fn) {
  std::size_t offset = 0;
  for (std::size_t i = 0; i < params.size() && offset < end; ++i) {
    const std::size_t n = params[i]->value.size();
    const std::size_t first = begin > offset ? begin - offset : 0, last = end - offset < n ? end - offset : n;
    if (first < last) fn(i, first, last);
    offset += n;
  }
}

class Optimizer {
 public:
  explicit Optimizer(std::vector<Parameter*> params) : params_(std::move(params)) {}
  virtual ~Optimizer() = default;

  // One update of every parameter from its .grad.
  void step() {
    begin_step();
    update(0, size());
  }
  // step() in parts, for a driver that spreads the update over threads: begin_step() once, then
  // update() over disjoint ranges covering [0, size()) (see for_each_span), in any order or
  // concurrently. The result is the same, bit for bit, however the range is split.
  virtual void begin_step() { ++steps_; }
  virtual void update(std::size_t begin, std::size_t end) = 0;
  std::size_t size() const;  // elements of all parameters
  const std::vector<Parameter*>& parameters() const { return params_; }
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
  void update(std::size_t begin, std::size_t end) override;
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
  void begin_step() override;
  void update(std::size_t begin, std::size_t end) override;
  std::string name() const override { return "adam"; }
  float learning_rate() const override { return config_.learning_rate; }
  void set_learning_rate(float lr) override { config_.learning_rate = lr; }
  const AdamConfig& config() const { return config_; }

 private:
  AdamConfig config_;
  std::vector<Tensor> m_, v_;
  float alpha_ = 0.0f;  // this step's bias-corrected rate
};

}  // namespace lenet
