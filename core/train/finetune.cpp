#include "core/train/finetune.hpp"

#include <algorithm>
#include <cstdio>

#include "core/base/error.hpp"
#include "core/train/training.hpp"

namespace lenet {

namespace {

// The digits a model of `classes` classes can be taught, as a sentence's end: "a digit 0-9".
std::string class_range(std::size_t classes) {
  return classes == 10 ? "a digit 0-9" : "a class 0-" + std::to_string(classes - 1);
}

void check_fits(const Model& base, const Dataset& replay) {
  const Shape& in = base.network.input_shape();
  if (in.size() != 3 || in[0] != 1 || in[1] != digit_side || in[2] != digit_side)
    throw Error("the model reads " + shape_string(in) + " inputs, but fine-tuning teaches it 1x28x28 digits");
  if (replay.count > 0 && (replay.rows != digit_side || replay.cols != digit_side))
    throw Error("the replay sample holds " + std::to_string(replay.rows) + "x" + std::to_string(replay.cols) +
                " images, not 28x28 digits");
  for (std::size_t i = 0; i < replay.count; ++i)
    if (replay.labels[i] >= base.network.num_classes())
      throw Error("the replay sample's label " + std::to_string(replay.labels[i]) + " at index " +
                  std::to_string(i) + " is not one of the model's classes");
}

std::string per_digit_text(const std::vector<std::size_t>& per_digit) {
  std::string text;  // "1:5 7:3": the digits taught, with their counts
  for (std::size_t d = 0; d < per_digit.size(); ++d)
    if (per_digit[d] > 0) {
      if (!text.empty()) text += ' ';
      text += std::to_string(d);
      text += ':';
      text += std::to_string(per_digit[d]);
    }
  return text;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace

Dataset replay_sample(const Dataset& train, std::size_t count) {
  Dataset d;
  d.count = std::min(count, train.count);
  d.rows = train.rows;
  d.cols = train.cols;
  d.images.assign(train.images.begin(), train.images.begin() + std::ptrdiff_t(d.count * d.rows * d.cols));
  d.labels.assign(train.labels.begin(), train.labels.begin() + std::ptrdiff_t(d.count));
  return d;
}

std::vector<std::size_t> examples_per_digit(const std::vector<LabelledDrawing>& examples, std::size_t classes) {
  std::vector<std::size_t> counts(classes, 0);
  for (const LabelledDrawing& e : examples)
    if (e.label >= 0 && std::size_t(e.label) < classes) ++counts[std::size_t(e.label)];
  return counts;
}

Finetuner::Finetuner(const Model& base, std::string base_name, const std::vector<LabelledDrawing>& examples,
                     Dataset replay, FinetuneConfig config, const std::string& example_name)
    : model_(base), base_name_(std::move(base_name)), base_info_(base.info), replay_(std::move(replay)),
      config_(config), rng_(config.seed) {
  check_fits(base, replay_);
  if (examples.empty()) throw Error("there are no examples to learn from");
  if (config_.examples_per_batch == 0) throw Error("a fine-tuning batch needs at least one example");
  const std::size_t classes = model_.network.num_classes();
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string what = example_name + " " + std::to_string(i);
    const LabelledDrawing& e = examples[i];
    if (e.label < 0 || std::size_t(e.label) >= classes)
      throw Error(what + ": label " + std::to_string(e.label) + " is not " + class_range(classes));
    check_drawing(e.drawing, what);
    Digit28 digit = preprocess_drawing(e.drawing);
    if (digit.empty) throw Error(what + " has no ink (an empty drawing)");
    digits_.push_back(digit);
    labels_.push_back(std::uint8_t(e.label));
  }
  per_digit_ = examples_per_digit(examples, classes);
  if (replay_.count == 0) config_.replay_per_batch = 0;
  std::vector<Parameter*> params = model_.network.parameters();
  for (const Parameter* p : params) start_.push_back(p->value);
  AdamConfig adam;
  adam.learning_rate = config_.learning_rate;
  adam_ = std::make_unique<Adam>(params, adam);
}

// The batch of step done_: the examples' slots first, then the replay digits, as model inputs.
void Finetuner::fill_batch() {
  const std::size_t n_examples = config_.examples_per_batch, n = n_examples + config_.replay_per_batch;
  constexpr std::size_t pixels = digit_side * digit_side;
  ensure_shape(x_, {n, 1, digit_side, digit_side});
  batch_labels_.resize(n);
  const Normalization norm = model_.info.normalization;
  const std::uint64_t batch_seed = augment_batch_seed(config_.seed, 0, done_);
  for (std::size_t i = 0; i < n; ++i) {
    float* out = x_.data() + i * pixels;
    if (i < n_examples) {
      const std::size_t e = (done_ * n_examples + i) % digits_.size();
      Rng rng = augment_rng(batch_seed, i);
      augment_ink(digits_[e].pixels.data(), digit_side, digit_side, config_.augment, rng, out);
      batch_labels_[i] = labels_[e];
    } else {
      const std::size_t r = std::size_t(rng_.below(replay_.count));
      const std::uint8_t* image = replay_.image(r);
      for (std::size_t p = 0; p < pixels; ++p) out[p] = float(image[p]) / 255.0f;
      batch_labels_[i] = replay_.labels[r];
    }
    for (std::size_t p = 0; p < pixels; ++p) out[p] = (out[p] - norm.mean) / norm.std;
  }
}

// Adds anchor * (w - w0) to every gradient; returns the penalty anchor / 2 * |w - w0|^2.
double Finetuner::add_anchor_gradient() {
  if (config_.anchor == 0.0f) return 0.0;
  double sum = 0;
  const std::vector<Parameter*> params = model_.network.parameters();
  for (std::size_t k = 0; k < params.size(); ++k) {
    const float* w = params[k]->value.data();
    const float* w0 = start_[k].data();
    float* g = params[k]->grad.data();
    for (std::size_t i = 0; i < params[k]->value.size(); ++i) {
      const float d = w[i] - w0[i];
      g[i] += config_.anchor * d;
      sum += double(d) * double(d);
    }
  }
  return 0.5 * double(config_.anchor) * sum;
}

double Finetuner::step() {
  if (done()) return last_loss_;
  fill_batch();
  const std::size_t n = batch_labels_.size();
  const LossResult r = forward_backward(model_.network, x_, batch_labels_.data(), n);
  const double penalty = add_anchor_gradient();
  adam_->set_learning_rate(
      scheduled_learning_rate(LrSchedule::cosine, config_.learning_rate, {done_, config_.steps}));
  adam_->step();
  ++done_;
  last_loss_ = r.loss_sum / double(n) + penalty;
  return last_loss_;
}

ModelInfo Finetuner::info() const {
  ModelInfo info;
  info.normalization = base_info_.normalization;
  info.recipe = "finetune";
  info.dataset = base_info_.dataset.empty() ? "drawings" : base_info_.dataset + "+drawings";
  info.trainer_version = base_info_.trainer_version;
  std::size_t total = 0;
  for (std::size_t c : per_digit_) total += c;
  info.extra = {
      {"finetuned_from", base_name_},
      {"finetuned_from_recipe", base_info_.recipe},
      {"finetuned_from_test_accuracy", base_info_.test_accuracy},
      {"finetune_examples", std::to_string(total)},
      {"finetune_examples_per_digit", per_digit_text(per_digit_)},
      {"finetune_seed", std::to_string(config_.seed)},
      {"finetune_steps", std::to_string(done_)},
      {"finetune_batch", std::to_string(config_.examples_per_batch) + "+" + std::to_string(config_.replay_per_batch)},
      {"finetune_learning_rate", number_text(config_.learning_rate)},
      {"finetune_anchor", number_text(config_.anchor)},
      {"finetune_replay", std::to_string(replay_.count)},
  };
  return info;
}

std::vector<std::uint8_t> Finetuner::model_bytes() const {
  return serialize_safetensors(to_safetensors(model_.network, info()));
}

}  // namespace lenet
