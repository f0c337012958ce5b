#pragma once
// Where an unfinished training run stands, as a checkpoint's metadata holds it beside the weights,
// the optimiser's state and the run's TrainConfig: one table of keys, written and read (with checks:
// a damaged checkpoint is one sentence, never a wrapped count or NaN) in one place.

#include <map>
#include <string>
#include <vector>

#include "core/nn/optimizer.hpp"
#include "core/base/random.hpp"
#include "native_trainer/run/train_config.hpp"

namespace lenet {

namespace checkpoint_key {
inline constexpr const char* epochs_done = "epochs_done";
inline constexpr const char* batches_done = "batches_done";
inline constexpr const char* optimizer_steps = "optimizer_steps";
inline constexpr const char* rng_state = "rng_state";
inline constexpr const char* rng_epoch_start = "rng_epoch_start";
inline constexpr const char* history = "history";
inline constexpr const char* partial_loss = "partial_loss";
inline constexpr const char* partial_correct = "partial_correct";
inline constexpr const char* partial_seen = "partial_seen";
inline constexpr const char* partial_seconds = "partial_seconds";
inline constexpr const char* plateau = "plateau";
inline constexpr const char* plateau_factor = "plateau_factor";
inline constexpr const char* early_stopping = "early_stopping";
}  // namespace checkpoint_key

// The running totals of the epoch in progress, so that an epoch interrupted and resumed reports
// the same summary as one run straight through.
struct EpochTotals {
  double loss_sum = 0;
  std::size_t correct = 0, images = 0;
  double seconds = 0;
};

struct CheckpointState {
  std::size_t epochs_done = 0, batches_done = 0;  // batches of the current (unfinished) epoch
  long long optimizer_steps = 0;
  Rng::State rng{};              // the run's stream
  Rng::State rng_epoch_start{};  // the stream at the start of the current epoch (its shuffle)
  std::vector<EpochRecord> history;
  EpochTotals partial;
  // Validation-loss watchers: the plateau schedule's (and its factor so far) and early stopping's.
  Patience plateau, early;
  float plateau_factor = 1.0f;

  void write(std::map<std::string, std::string>& metadata) const;
  // Throws lenet::Error naming `source` and the key when one is missing or damaged.
  static CheckpointState read(const std::map<std::string, std::string>& metadata, const std::string& source);
};

}  // namespace lenet
