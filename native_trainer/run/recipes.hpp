#pragma once
// Each seed tutorial's experiment, by name: the network, the optimiser and how it validated.

#include <cstddef>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/optimizer.hpp"

namespace lenet {

enum class Validation {
  test_set,   // the test set doubles as validation (as the seed did)
  fraction,   // the last fraction of the (shuffled once) training set
  last_n,     // the last N training images
  resplit,    // all 70,000 images re-split; validation on the new test part
};

struct Recipe {
  std::string name;
  std::string source;  // the seed it reproduces
  std::string arch;
  OptimizerKind optimizer;
  float learning_rate;
  float momentum;
  std::size_t batch_size;
  std::size_t epochs;
  Validation validation;
  double validation_amount;  // fraction (fraction, resplit: the training share) or count (last_n)
  std::string seed_reported;  // the accuracy the seed reported
  bool augment = false;
  LrSchedule lr_schedule = LrSchedule::constant;
  Init init = Init::glorot_uniform;  // the seed framework's default
  float drawn = 0.0f;                 // share of the training images redrawn from their traced strokes
};

const std::vector<Recipe>& recipes();
const Recipe& find_recipe(const std::string& name);  // throws lenet::Error listing the names
// The first recipe that trains this preset (lenet: pyimagesearch, lenet5: tf-lenet5, ...); null for
// a spec string or a preset no recipe trains.
const Recipe* recipe_of_preset(const std::string& arch);

}  // namespace lenet
