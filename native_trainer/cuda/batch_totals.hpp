#pragma once
// What a trainer reports of the batches it trained: the CPU's and the GPU's backends
// (run/trainer_backend.hpp) and the GPU trainer itself (cuda/trainer.hpp) all return this one
// struct. It lives in cuda/, the lower of the two folders, so that the CUDA code needs nothing
// of run/.

#include <cstddef>

namespace lenet {

// Loss and accuracy of the batches trained since the last take_totals().
struct BatchTotals {
  std::size_t batches = 0, images = 0;  // images counts the finite batches only
  double loss_sum = 0;
  std::size_t correct = 0;
  // Index among these batches (0-based) of the first one whose loss was not finite, or -1.
  // Neither it nor any later batch changed the weights or the optimiser.
  long long first_bad = -1;
};

}  // namespace lenet
