#include "core/nn/optimizer.hpp"

#include <cmath>
#include <numbers>

#include "core/kernels/elementwise.hpp"
#include "core/base/error.hpp"

namespace lenet {

namespace {
constexpr std::pair<LrSchedule, const char*> schedule_names[] = {
    {LrSchedule::constant, "constant"}, {LrSchedule::cosine, "cosine"}, {LrSchedule::step, "step"}, {LrSchedule::plateau, "plateau"}};
}  // namespace

const char* optimizer_name(OptimizerKind kind) { return kind == OptimizerKind::adam ? "adam" : "sgd"; }

OptimizerKind optimizer_from_name(const std::string& name) {
  for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::adam})
    if (name == optimizer_name(kind)) return kind;
  throw Error("unknown optimizer '" + name + "'; use sgd or adam");
}

float default_learning_rate(OptimizerKind kind) { return kind == OptimizerKind::adam ? 0.001f : 0.01f; }

const char* lr_schedule_name(LrSchedule s) {
  for (const auto& [schedule, name] : schedule_names)
    if (schedule == s) return name;
  return "constant";
}

std::vector<std::string> lr_schedule_names() {
  std::vector<std::string> out;
  for (const auto& entry : schedule_names) out.push_back(entry.second);
  return out;
}

LrSchedule lr_schedule_from_name(const std::string& name) {
  for (const auto& [schedule, text] : schedule_names)
    if (name == text) return schedule;
  throw Error("unknown learning-rate schedule '" + name + "'; use constant, cosine, step or plateau");
}

float scheduled_learning_rate(LrSchedule schedule, float base, const ScheduleState& at) {
  switch (schedule) {
    case LrSchedule::constant: return base;
    case LrSchedule::cosine: {
      if (at.total_steps == 0) return base;
      const double progress = double(at.step) / double(at.total_steps);
      return float(0.5 * double(base) * (1.0 + std::cos(std::numbers::pi * progress)));
    }
    case LrSchedule::step: return float(double(base) * std::pow(0.1, double(at.epochs_done / std::max<std::size_t>(at.every, 1))));
    case LrSchedule::plateau: return base * at.plateau_factor;
  }
  return base;
}

bool Patience::observe(double value) {
  ++seen;
  if (!std::isnan(value) && (best_at == 0 || value < best)) {
    best = value;
    best_at = seen;
    waited = 0;
    return true;
  }
  ++waited;
  return false;
}

void Optimizer::add_slot(const std::string& prefix, std::vector<Tensor>& slot) {
  slot.clear();
  for (Parameter* p : params_) {
    slot.emplace_back(Tensor::from_shape(p->value.shape()));
    slot.back().fill(0.0f);
  }
  slots_.emplace_back(prefix, &slot);
}

std::size_t Optimizer::size() const {
  std::size_t n = 0;
  for (const Parameter* p : params_) n += p->value.size();
  return n;
}

std::vector<std::pair<std::string, Tensor*>> Optimizer::state() {
  std::vector<std::pair<std::string, Tensor*>> out;
  for (auto& [prefix, slot] : slots_)
    for (std::size_t i = 0; i < params_.size(); ++i) out.emplace_back(prefix + "." + params_[i]->name, &(*slot)[i]);
  return out;
}

Sgd::Sgd(std::vector<Parameter*> params, SgdConfig config) : Optimizer(std::move(params)), config_(config) {
  if (config_.momentum != 0.0f) add_slot("momentum", velocity_);
}

void Sgd::update(std::size_t begin, std::size_t end) {
  const float lr = config_.learning_rate;
  const SgdHyper hyper{config_.momentum, config_.weight_decay, config_.nesterov};
  for_each_span(params_, begin, end, [&](std::size_t i, std::size_t first, std::size_t last) {
    float* w = params_[i]->value.data();
    const float* g = params_[i]->grad.data();
    if (config_.momentum == 0.0f) {  // two loops rather than a test per weight
      for (std::size_t j = first; j < last; ++j) sgd_update(lr, hyper, w[j], g[j], nullptr);
      return;
    }
    float* v = velocity_[i].data();
    for (std::size_t j = first; j < last; ++j) sgd_update(lr, hyper, w[j], g[j], v + j);
  });
}

Adam::Adam(std::vector<Parameter*> params, AdamConfig config) : Optimizer(std::move(params)), config_(config) {
  add_slot("adam_m", m_);
  add_slot("adam_v", v_);
}

void Adam::begin_step() {
  Optimizer::begin_step();
  alpha_ = adam_alpha(config_.learning_rate, config_.beta1, config_.beta2, static_cast<long long>(steps_));
}

void Adam::update(std::size_t begin, std::size_t end) {
  const float alpha = alpha_;
  const AdamHyper hyper{config_.beta1, config_.beta2, config_.epsilon, config_.weight_decay};
  // AdamW's decay, by the step's (scheduled) rate, not the bias-corrected one; 1 when off, exactly.
  const float shrink = 1.0f - config_.learning_rate * config_.decoupled_weight_decay;
  for_each_span(params_, begin, end, [&](std::size_t i, std::size_t first, std::size_t last) {
    float* w = params_[i]->value.data();
    const float* g = params_[i]->grad.data();
    float* m = m_[i].data();
    float* v = v_[i].data();
    for (std::size_t j = first; j < last; ++j) adam_update(alpha, shrink, hyper, w[j], g[j], m[j], v[j]);
  });
}

}  // namespace lenet
