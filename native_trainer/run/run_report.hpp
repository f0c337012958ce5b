#pragma once
// `--report DIR`: what a run leaves behind for people to read: history.csv (Keras' History, one
// row per epoch), metrics.json (test accuracy, loss, the classification report and the confusion
// matrix), pictures (training curves, confusion heat map, the first 25 test digits and the
// misclassified ones, with predicted and true labels; with --drawn, the training digits redrawn from
// their strokes in each writing style) and an index.html that shows all of it.

#include <string>
#include <vector>

#include "core/ink/drawn_digit.hpp"
#include "core/formats/idx.hpp"
#include "core/train/metrics.hpp"
#include "native_trainer/run/train_config.hpp"

namespace lenet {

struct RunSummary {
  TrainConfig config;
  std::string command_line, started;  // as typed; when the run (or its last resume) started
  std::vector<EpochRecord> history;
  std::vector<BatchRecord> batches;  // running values within the epochs this process trained
  ConfusionMatrix confusion;
  double test_accuracy = 0, test_loss = 0;
  std::size_t parameters = 0;
  const Dataset* test = nullptr;          // the test images...
  std::vector<std::uint8_t> predictions;  // ...and what the network said for each
  const Dataset* train = nullptr;         // with --drawn: the training images...
  const DrawnTraining* drawn = nullptr;   // ...their strokes and how they were redrawn
};

// Creates dir if needed; every file is written atomically.
void write_run_report(const std::string& dir, const RunSummary& run);

}  // namespace lenet
