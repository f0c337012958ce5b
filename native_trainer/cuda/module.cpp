// The CUDA module's one exported symbol (module_interface.hpp): what liblenet-cuda.so offers
// lenet-train. Everything else in the module is hidden (native_trainer/cuda/CMakeLists.txt).
#include <memory>

#include "native_trainer/cuda/module_interface.hpp"
#include "native_trainer/cuda/trainer.hpp"

namespace {

std::unique_ptr<lenet::cuda::GpuTrainer> make_trainer(const lenet::Network& net, lenet::Optimizer& opt,
                                                      std::size_t batch_size) {
  return std::make_unique<lenet::cuda::Trainer>(net, opt, batch_size);
}

constexpr lenet::cuda::ModuleExports exports{lenet::cuda::module_interface_version, lenet::cuda::unavailable_reason,
                                             lenet::cuda::gpu_report, make_trainer};

}  // namespace

extern "C" __attribute__((visibility("default"))) const lenet::cuda::ModuleExports* lenet_cuda_module() {
  return &exports;
}
