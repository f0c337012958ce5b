#pragma once
// Everything that defines a training run, resolved from a recipe and flags, and saved in
// checkpoints so that --resume continues the very same run.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/nn/layer.hpp"
#include "native_trainer/report/history.hpp"
#include "native_trainer/run/recipes.hpp"

namespace lenet {

struct TrainConfig {
  std::string recipe;  // empty: hand-picked flags
  std::string arch = "lenet";
  OptimizerKind optimizer = OptimizerKind::sgd;
  float learning_rate = 0.01f;
  float momentum = 0.0f;
  Init init = Init::glorot_uniform;  // how the weights start
  std::size_t batch_size = 128;
  std::size_t epochs = 20;
  std::uint64_t seed = 42;
  std::size_t threads = 1;
  float norm_mean = 0.0f, norm_std = 1.0f;  // input x = (pixel/255 - mean) / std
  bool augment = false;                     // random variants of the training images (core/ink/augment.hpp)
  float drawn = 0.0f;                       // share of them redrawn from traced strokes (core/ink/drawn_digit.hpp)
  LrSchedule lr_schedule = LrSchedule::constant;
  Validation validation = Validation::fraction;
  double validation_amount = 0.1;
  std::string data;
  std::string out = "model.safetensors";
  std::size_t checkpoint_every = 0;
  std::string report_dir;  // empty: no report files
  bool keep_checkpoint = false;  // a finished run removes its checkpoint unless asked to keep it
  float weight_decay = 0.0f;        // adam: AdamW's decoupled decay; sgd: L2 added to the gradient
  std::size_t early_stopping = 0;   // patience in epochs on the validation loss (0: off)
  std::size_t lr_step = 0;          // --lr-schedule step: epochs between divisions (0: a third of the run)
  std::size_t lr_patience = 5;      // --lr-schedule plateau: epochs without a lower validation loss
  std::size_t train_images = 0, test_images = 0;  // 0: all

  std::string checkpoint_path() const;  // OUT's stem + ".checkpoint.safetensors", beside it
  std::map<std::string, std::string> to_metadata() const;  // keys "train.*"
  // The same run as a shipped model states it: nothing of the machine that trained it, so the data
  // folder becomes the data set's name and the output and report paths their file names.
  TrainConfig without_paths() const;
  static TrainConfig from_metadata(const std::map<std::string, std::string>& metadata, const std::string& source);
};

// A train_config JSON text as (setting, value) lines for people: numbers as typed on the command
// line (0.002, not 0.0020000000949949026), strings without quotes. Throws nlohmann's exception on
// text that is not JSON.
std::vector<std::pair<std::string, std::string>> settings_as_text(const std::string& train_config_json);

std::string history_to_json(const std::vector<EpochRecord>& history);
std::vector<EpochRecord> history_from_json(const std::string& text, const std::string& source);

}  // namespace lenet
