#pragma once
// Fine-tuning a trained model on a person's own labelled drawings, one optimisation step at a
// time (the page shows progress and may stop between steps). The same code runs in the page's
// Worker (wasm) and in `lenet-train finetune`, with the same defaults, so a seed gives the same
// personal model in both.
//
// Each step's batch holds
//   - examples_per_batch of the person's drawings, rasterised and preprocessed as the page does
//     (preprocess_drawing), each slot a fresh random variant (augment_ink, the --augment variants);
//     the slots go round the examples in turn, so every example is seen as often as any other;
//   - replay_per_batch MNIST training digits drawn at random from the replay sample (the first
//     replay_sample_size training images), so that the network keeps reading everyone's digits.
// Adam (optimizer.hpp) with a cosine-annealed rate, plus an L2-SP penalty (Li, Grandvalet & Davoine
// 2018): anchor * (w - w0) is added to each gradient, pulling the weights back towards the model
// they started from.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/ink/augment.hpp"
#include "core/ink/drawing.hpp"
#include "core/formats/idx.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/optimizer.hpp"
#include "core/ink/preprocess.hpp"

namespace lenet {

// How many MNIST training images the replay sample holds: the first this many of the training
// set, in file order (the page fetches them as IDX files that a build step writes).
inline constexpr std::size_t replay_sample_size = 2000;

// The defaults, measured (README, "Teach it your handwriting"): with 5 examples of a style the
// shipped model misread, 20 steps of 6 examples + 18 replay digits at 3e-4 read 50 of 50 other
// drawings of it right and kept the MNIST test accuracy (within 0.05 points); a rate of 5e-4
// learned the style as well but cost up to 0.5 points on MNIST, and the L2-SP penalty held the
// style back more than it kept MNIST, so it is off by default. 20 steps of 24 digits take about
// 2 s in the wasm module.
struct FinetuneConfig {
  std::size_t steps = 20;
  std::size_t examples_per_batch = 6;
  std::size_t replay_per_batch = 18;  // none when there is no replay sample
  float learning_rate = 3e-4f;        // Adam's, annealed to 0 over the steps (cosine)
  float anchor = 0.0f;                // L2-SP strength
  std::uint64_t seed = 1;
  AugmentConfig augment;  // the variants of the person's drawings
};

// The replay sample taken from a training set: its first `count` images (all, if it has fewer).
Dataset replay_sample(const Dataset& train, std::size_t count = replay_sample_size);

// How many of the examples show each digit (index = digit).
std::vector<std::size_t> examples_per_digit(const std::vector<LabelledDrawing>& examples, std::size_t classes);

class Finetuner {
 public:
  // `base_name` says where the base model came from (its file name), for the personal model's
  // metadata. `replay` may be empty (no replay). Throws lenet::Error with one sentence naming
  // the example (`example_name` + " " + index, "example 3" by default) for a label the model
  // cannot predict, a drawing check_drawing rejects or one without ink, and for a replay sample
  // or model that does not fit (28x28 single-channel digits).
  Finetuner(const Model& base, std::string base_name, const std::vector<LabelledDrawing>& examples, Dataset replay,
            FinetuneConfig config, const std::string& example_name = "example");
  Finetuner(const Finetuner&) = delete;
  Finetuner& operator=(const Finetuner&) = delete;

  std::size_t steps() const { return config_.steps; }
  std::size_t steps_done() const { return done_; }
  bool done() const { return done_ >= config_.steps; }
  // One optimisation step; returns its loss (the batch's mean cross-entropy plus the penalty).
  // After the last step it does nothing and returns the last loss.
  double step();

  const Network& network() const { return model_.network; }
  // The personal model's metadata: the base's normalisation, what it was fine-tuned from, on how
  // many examples of each digit, the seed and the steps.
  ModelInfo info() const;
  // The personal model as a .safetensors file (F32).
  std::vector<std::uint8_t> model_bytes() const;

 private:
  void fill_batch();
  double add_anchor_gradient();

  Model model_;
  std::string base_name_;
  ModelInfo base_info_;
  std::vector<Digit28> digits_;  // the examples, preprocessed
  std::vector<std::uint8_t> labels_;
  std::vector<std::size_t> per_digit_;
  Dataset replay_;
  FinetuneConfig config_;
  std::vector<Tensor> start_;  // w0 of each parameter, for the penalty
  std::unique_ptr<Adam> adam_;
  Rng rng_;  // picks the replay digits
  Tensor x_;
  std::vector<std::uint8_t> batch_labels_;
  std::size_t done_ = 0;
  double last_loss_ = 0;
};

}  // namespace lenet
