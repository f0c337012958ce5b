#pragma once
// Training progress: on a terminal, a bar per epoch redrawn in place (batches, ETA, running loss
// and accuracy, images/s); anywhere else (CI, pipes) nothing until the epoch's one summary line.

#include <chrono>
#include <cstddef>
#include <string>

namespace lenet {

class EpochProgress {
 public:
  EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t batches, bool terminal);
  // After each batch: images so far this epoch, their summed loss and correct count.
  void update(std::size_t batch, std::size_t images, double loss_sum, std::size_t correct);
  double seconds() const;
  // Clears the bar (on a terminal) so the summary line can be printed.
  void finish();

 private:
  std::size_t epoch_, epochs_, batches_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

bool stdout_is_terminal();

}  // namespace lenet
