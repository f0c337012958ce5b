#pragma once
// The GPU training path. Plain C++ interface, no CUDA headers: the CLI and the tests compile it
// with the host compiler; the CUDA runtime and cuBLAS calls live in trainer.cpp, the kernels in
// kernels.cu.
//
// A Trainer owns device copies of one network's parameters (one flat buffer, plan.hpp's layout),
// their gradients, the optimiser's state, the training set (uploaded once, as bytes) and every
// activation buffer. One training step (gather the batch from the epoch order on the device,
// forward, softmax + cross-entropy, backward, optimiser update) is captured once per batch size
// as a CUDA Graph and replayed; loss and accuracy are summed on the device and read back only
// by take_totals(). Every CUDA and cuBLAS error becomes a lenet::Error with one sentence.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/nn/loss.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "native_trainer/cuda/batch_totals.hpp"

namespace lenet::cuda {

// Empty when a CUDA device can be used; otherwise one sentence saying why not (no device, no
// driver, ...). Never throws.
std::string unavailable_reason();

class Trainer {
 public:
  // The optimiser's kind, hyper-parameters, state and step count are taken from opt (core's Sgd
  // or Adam); batch_size is the largest training batch. Throws lenet::Error (no device, a layer
  // the CUDA path lacks, out of device memory).
  Trainer(const Network& net, Optimizer& opt, std::size_t batch_size);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  std::string device_name() const;
  bool uses_graphs() const;

  // Host Network / Optimizer <-> device. upload() also takes the optimiser's state, step count and
  // learning rate; download() gives them back (for checkpoints and the final model).
  void upload(const Network& net, Optimizer& opt);
  void download(Network& net, Optimizer& opt);
  // For learning-rate schedules: takes effect from the next queued step.
  void set_learning_rate(float lr);

  // --- training ---
  // Uploads the images and labels once (again only if another data set is given).
  void set_training_data(const Dataset& data, Normalization norm);
  // The epoch's order of training images (one upload per epoch).
  void set_order(const std::size_t* order, std::size_t count);
  // Queues one step on order[first, first + n): no host synchronisation.
  void train_batch(std::size_t first, std::size_t n);
  // Waits for the queued steps and returns their totals (one small device-to-host copy).
  BatchTotals take_totals();

  // Loss and correct count of data[indices[0..n)]; predictions[i] = argmax for image i if given.
  LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                      std::vector<std::uint8_t>* predictions = nullptr);

 private:
  friend class TrainerProbe;  // trainer_probe.hpp: layer by layer, for the tests
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lenet::cuda
