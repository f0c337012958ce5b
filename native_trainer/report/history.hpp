#pragma once
// The training history a run records (per epoch, and per batch for short runs) and its report
// draws: plain records, so that the pictures need nothing of the run.

#include <cstddef>

namespace lenet {

// One line of the training history (Keras' History, per epoch).
struct EpochRecord {
  std::size_t epoch = 0;
  double loss = 0, accuracy = 0, val_loss = 0, val_accuracy = 0, seconds = 0, images_per_second = 0;
};

// The running loss and accuracy of the epoch so far, at a point within it: epoch 1.5 is half-way
// through the first (for the curves of runs too short to draw per epoch).
struct BatchRecord {
  double epoch = 0, loss = 0, accuracy = 0;
};

}  // namespace lenet
