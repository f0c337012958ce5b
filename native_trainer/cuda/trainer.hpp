#pragma once
// The GPU training path: module_interface.hpp's GpuTrainer, implemented. Plain C++, no CUDA
// headers: the module's entry point (module.cpp) and the tests compile it with the host compiler;
// the CUDA runtime and cuBLAS calls live in trainer.cpp, the kernels in kernels.cu.
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

#include "native_trainer/cuda/module_interface.hpp"

namespace lenet::cuda {

// Empty when a CUDA device can be used; otherwise one sentence saying why not (no driver, no
// device, a GPU older than the build's sm_90). Never throws.
std::string unavailable_reason();

// The runtime, the driver and every GPU the driver lists (info --devices). Never throws.
GpuReport gpu_report();

class Trainer final : public GpuTrainer {
 public:
  // The optimiser's kind, hyper-parameters, state and step count are taken from opt (core's Sgd
  // or Adam); batch_size is the largest training batch. Throws lenet::Error (no device, a layer
  // the CUDA path lacks, out of device memory).
  Trainer(const Network& net, Optimizer& opt, std::size_t batch_size);
  ~Trainer() override;
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // module_interface.hpp says what each does.
  std::string device_name() const override;
  bool uses_graphs() const override;
  void upload(const Network& net, Optimizer& opt) override;
  void download(Network& net, Optimizer& opt) override;
  void set_learning_rate(float lr) override;
  void set_training_data(const Dataset& data, Normalization norm) override;
  void set_order(const std::size_t* order, std::size_t count) override;
  void train_batch(std::size_t first, std::size_t n) override;
  BatchTotals take_totals() override;
  LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                      std::vector<std::uint8_t>* predictions = nullptr) override;

 private:
  friend class TrainerProbe;  // trainer_probe.hpp: layer by layer, for the tests
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lenet::cuda
