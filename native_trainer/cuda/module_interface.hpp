#pragma once
// The one interface between lenet-train and its CUDA module, liblenet-cuda.so: everything the
// module exports is in this header. The module is built from this folder wherever nvcc is found
// and installed beside lenet-train; lenet-train links no CUDA library and loads the module
// (module_loader.hpp) only when a command asks for the GPU, so that a CPU command starts as fast
// as in a build without CUDA and runs on a machine without the CUDA libraries.
//
// The module exports one C symbol, module_entry_point, which returns its ModuleExports. The
// loader reads interface_version first and refuses any other number than its own, so that the
// rest of the struct is read only when both sides agree on it. What crosses the boundary is C++
// of this build (Network, Optimizer, Dataset, std::string, lenet::Error thrown by the module):
// the module and lenet-train come from one build, and module_interface_version is raised with
// every change to this header.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/loss.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "native_trainer/cuda/batch_totals.hpp"

namespace lenet::cuda {

inline constexpr int module_interface_version = 1;
inline constexpr char module_file_name[] = "liblenet-cuda.so";
inline constexpr char module_entry_point[] = "lenet_cuda_module";

// Training on the GPU (cuda/trainer.hpp has the implementation and what it holds on the device).
// Every failure is a lenet::Error with one sentence.
class GpuTrainer {
 public:
  virtual ~GpuTrainer() = default;

  virtual std::string device_name() const = 0;
  virtual bool uses_graphs() const = 0;

  // Host Network / Optimizer <-> device. upload() also takes the optimiser's state, step count
  // and learning rate; download() gives them back (for checkpoints and the final model).
  virtual void upload(const Network& net, Optimizer& opt) = 0;
  virtual void download(Network& net, Optimizer& opt) = 0;
  // For learning-rate schedules: takes effect from the next queued step.
  virtual void set_learning_rate(float lr) = 0;

  // Uploads the images and labels once (again only if another data set is given).
  virtual void set_training_data(const Dataset& data, Normalization norm) = 0;
  // The epoch's order of training images (one upload per epoch).
  virtual void set_order(const std::size_t* order, std::size_t count) = 0;
  // Queues one step on order[first, first + n): no host synchronisation.
  virtual void train_batch(std::size_t first, std::size_t n) = 0;
  // Waits for the queued steps and returns their totals (one small device-to-host copy).
  virtual BatchTotals take_totals() = 0;

  // Loss and correct count of data[indices[0..n)]; predictions[i] = argmax for image i if given.
  virtual LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                              std::vector<std::uint8_t>* predictions = nullptr) = 0;
};

// What `lenet-train info --devices` shows of the GPU side.
struct GpuDevice {
  std::string name;
  int major = 0, minor = 0;  // compute capability
  std::size_t memory_bytes = 0;
};

struct GpuReport {
  std::string runtime;  // the CUDA runtime the module is built with, "13.0"
  std::string driver;   // the CUDA version the driver supports, empty without a driver
  std::vector<GpuDevice> gpus;
  std::string unavailable;  // empty when --device cuda can train, else the sentence saying why not
};

struct ModuleExports {
  int interface_version;  // first, so that the loader can read it of any module
  // Empty when a CUDA GPU can train here, else one sentence (no driver, no GPU, too old a GPU).
  std::string (*unavailable_reason)();
  GpuReport (*report)();
  // A trainer for net and opt (their current values and state are its start); batch_size is the
  // largest training batch. Throws lenet::Error.
  std::unique_ptr<GpuTrainer> (*make_trainer)(const Network& net, Optimizer& opt, std::size_t batch_size);
};

// The type of module_entry_point: extern "C" const ModuleExports* lenet_cuda_module().
using ModuleEntryPoint = const ModuleExports* (*)();

}  // namespace lenet::cuda
