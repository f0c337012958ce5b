#pragma once
// `--report DIR`: what a run leaves behind for people to read: history.csv (Keras' History, one
// row per epoch) and metrics.json (test accuracy, loss, the classification report and the
// confusion matrix).

#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "train_config.hpp"

namespace lenet {

struct RunSummary {
  TrainConfig config;
  std::vector<EpochRecord> history;
  ConfusionMatrix confusion;
  double test_accuracy = 0, test_loss = 0;
  std::size_t parameters = 0;
};

// Creates dir if needed; every file is written atomically.
void write_run_report(const std::string& dir, const RunSummary& run);

}  // namespace lenet
