#pragma once
// Where a training run's arithmetic happens: the CPU's threads (ParallelTrainer and core's
// optimiser) or the GPU (the CUDA module, cuda/module_interface.hpp, loaded on first use).
// TrainingRun drives epochs, batches, reports and checkpoints the same way for both through this
// small interface.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/nn/loss.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "core/train/training.hpp"
#include "native_trainer/cuda/batch_totals.hpp"

namespace lenet {

class TrainerBackend {
 public:
  virtual ~TrainerBackend() = default;

  // For the run's header line: "2 threads", "CUDA on NVIDIA H100 80GB HBM3".
  virtual std::string description() const = 0;
  // The epoch's order of training images (data must outlive the epoch).
  virtual void begin_epoch(const Dataset& data, const std::vector<std::size_t>& order, Normalization norm) = 0;
  // One optimisation step (gradients of the batch's mean loss, then the optimiser's update at its
  // current learning rate) on the images order[first, first + n), or on their random variants
  // when `augment` is given (the CPU only). May only queue it.
  virtual void train_batch(std::size_t first, std::size_t n, const BatchAugmentation* augment = nullptr) = 0;
  // How many batches may be trained between take_totals() calls (1: after every batch).
  virtual std::size_t batches_per_report() const = 0;
  virtual BatchTotals take_totals() = 0;
  // Loss and correct count over data[indices[0..n)]; predictions[i] = argmax for image i if given.
  virtual LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                              std::vector<std::uint8_t>* predictions = nullptr) = 0;
  // Brings the host's network parameters and optimiser state (and step count) up to date, for
  // checkpoints and the model file.
  virtual void sync_to_host() = 0;
  // The reverse: the backend takes the host network's weights and optimiser state (after early
  // stopping put the best epoch's weights back into it).
  virtual void sync_from_host() = 0;
};

enum class Device { cpu, cuda };
const char* device_name(Device device);  // "cpu", "cuda": the --device flag's values
Device device_from_name(const std::string& name);  // throws lenet::Error naming the choices

// Empty when `device` can train here; otherwise one sentence saying why not.
std::string device_unavailable_reason(Device device);

// The backend for `device`, bound to the run's network and optimiser (their current values and
// state are its starting point). Throws lenet::Error when the device cannot be used.
std::unique_ptr<TrainerBackend> make_trainer_backend(Device device, Network& net, Optimizer& opt,
                                                     std::size_t threads, std::size_t batch_size);

}  // namespace lenet
