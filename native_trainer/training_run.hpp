#pragma once
// One training run: data split, network, optimiser, the epoch loop, checkpoints and the final
// model file. A run resumed from a checkpoint continues exactly where it stopped (weights,
// optimiser state, epoch, batch and the random stream).

#include <atomic>
#include <memory>
#include <vector>

#include "core/drawn_digit.hpp"
#include "core/idx.hpp"
#include "core/network.hpp"
#include "core/optimizer.hpp"
#include "train_config.hpp"

namespace lenet {

class TrainerBackend;

// Thrown when Ctrl-C stopped the run (after its checkpoint was written); main exits with 130.
struct Interrupted {
  std::string checkpoint;
};

// Set by the SIGINT handler; the run stops at the end of the current batch.
extern std::atomic<bool> stop_requested;

struct TrainingData {
  Dataset train, val, test;
  std::string val_name;
};

class TrainingRun {
 public:
  explicit TrainingRun(TrainConfig config);
  // config_overrides: the flags given with --resume that may change (epochs, out, threads, ...).
  static TrainingRun resume(const std::string& checkpoint, const TrainConfig& overrides,
                            const std::vector<std::string>& overridden);

  const TrainConfig& config() const { return config_; }
  // Trains the remaining epochs on device ("cpu" or "cuda", see trainer_backend.hpp), evaluates on
  // the test set and writes config().out.
  void run(const std::string& device = "cpu");

 private:
  void save_checkpoint() const;
  // --drawn: traces the training images (once per run) and says how they will be redrawn.
  void prepare_drawn_training();
  // After the first epoch: one sentence on stderr if training is still at chance, with what to try.
  void warn_if_at_chance(const EpochRecord& first_epoch) const;
  // After each epoch: the plateau schedule and early stopping look at the validation loss. True
  // when training should stop; the network then holds the best epoch's weights again.
  bool watch_validation(const EpochRecord& epoch, TrainerBackend& trainer);

  TrainConfig config_;
  TrainingData data_;
  Network network_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<DrawnTraining> drawn_;  // with --drawn: the training images' strokes
  Rng rng_;
  Rng::State epoch_start_rng_{};  // the stream at the start of the current epoch (its shuffle)
  std::size_t epochs_done_ = 0, batches_done_ = 0;  // batches of the current (unfinished) epoch
  double partial_loss_ = 0;
  std::size_t partial_correct_ = 0, partial_seen_ = 0;
  double partial_seconds_ = 0;
  // Validation-loss watchers: the plateau schedule's (and its factor so far) and early stopping's,
  // with the best epoch's weights, in the network's parameter order.
  Patience plateau_, early_;
  float plateau_factor_ = 1.0f;
  std::vector<std::vector<float>> best_weights_;
  std::vector<EpochRecord> history_;
  std::vector<BatchRecord> batch_history_;  // this process's running values, for short runs' curves
};

}  // namespace lenet
