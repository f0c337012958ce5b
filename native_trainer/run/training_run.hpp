#pragma once
// One training run: data split, network, optimiser, the epoch loop, checkpoints and the final
// model file. A run resumed from a checkpoint continues exactly where it stopped (weights,
// optimiser state, epoch, batch and the random stream).

#include <atomic>
#include <memory>
#include <vector>

#include "core/ink/drawn_digit.hpp"
#include "core/formats/idx.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "native_trainer/run/checkpoint_state.hpp"
#include "native_trainer/run/train_config.hpp"
#include "native_trainer/run/trainer_backend.hpp"

namespace lenet {

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
  // Trains the remaining epochs on `device`, evaluates on the test set and writes config().out
  // (and the report): header(), then train_epoch() and end_epoch() per epoch, then finish().
  void run(Device device = Device::cpu);

 private:
  // One sentence if `device` cannot train this run's settings; --out and --report must be writable.
  void check_before_training(Device device) const;
  // The run's first lines: recipe, network, optimiser, data.
  void print_header(const TrainerBackend& trainer) const;
  // The epoch's batches (the rest of them, for a resumed epoch) and its validation: its record.
  // Throws Interrupted after Ctrl-C (a checkpoint written) and lenet::Error on a NaN loss.
  EpochRecord train_epoch(std::size_t epoch, TrainerBackend& trainer);
  // History, the epoch's line, the schedules' and early stopping's look at the validation loss,
  // checkpoints. True when training should stop early.
  bool end_epoch(const EpochRecord& record, TrainerBackend& trainer);
  // Test set, model file, checkpoint removal, report.
  void finish(TrainerBackend& trainer, const std::string& started);
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
  CheckpointState state_;  // where the run stands (its rng fields are written at checkpoints)
  std::vector<std::vector<float>> best_weights_;  // early stopping's best epoch, in parameter order
  std::vector<BatchRecord> batch_history_;  // this process's running values, for short runs' curves
};

}  // namespace lenet
