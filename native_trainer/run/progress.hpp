#pragma once
// Training progress: on a terminal, a bar per epoch redrawn in place (batches, ETA, running loss
// and accuracy, images/s), never wider than the terminal; anywhere else (CI, pipes) nothing until
// the epoch's one summary line.

#include <chrono>
#include <cstddef>
#include <string>

namespace lenet {

struct ProgressState {
  std::size_t epoch, epochs, batch, batches;  // batch: those done so far, 1..batches
  double eta_seconds, loss, accuracy, images_per_second;
};

// The bar's text for a terminal of the given width: at most columns - 1 characters (a line that
// fills the last column wraps on some terminals), dropping the least useful parts first
// (images/s, then the bar's length, accuracy, ETA).
std::string progress_line(const ProgressState& s, int columns);

class EpochProgress {
 public:
  EpochProgress(std::size_t epoch, std::size_t epochs, std::size_t batches, bool terminal);
  EpochProgress(const EpochProgress&) = delete;
  EpochProgress& operator=(const EpochProgress&) = delete;
  // Left mid-epoch (Ctrl-C, an error): the bar keeps its last state and a message starts below it.
  ~EpochProgress();
  // After each batch: images so far this epoch, their summed loss and correct count.
  void update(std::size_t batch, std::size_t images, double loss_sum, std::size_t correct);
  double seconds() const;
  // Clears the bar (on a terminal) so the summary line can be printed.
  void finish();

 private:
  std::size_t epoch_, epochs_, batches_;
  bool terminal_, showing_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

bool stdout_is_terminal();
// The terminal's width in columns (asked each time, so a resized window is followed); 80 when
// stdout is no terminal or does not say.
int terminal_columns();

}  // namespace lenet
