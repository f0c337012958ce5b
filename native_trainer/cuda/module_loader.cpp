#include "native_trainer/cuda/module_loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace lenet::cuda {

namespace {

std::string executable_folder() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

LoadedModule refused(const std::string& path, const std::string& why) { return LoadedModule{path, nullptr, why}; }

}  // namespace

LoadedModule open_module(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
#if LENET_CUDA_MODULE_BUILT
    return refused(path, "--device cuda: the CUDA module is missing: there is no " + path);
#else
    return refused(path, "--device cuda: this lenet-train was built without CUDA, so there is no CUDA module " + path +
                             " (build it where nvcc is installed, or with the cuda preset)");
#endif
  }
  // RTLD_LOCAL: the module's own copies of core and the CUDA runtime stay its own.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return refused(path, std::string("--device cuda: the CUDA module cannot be loaded: ") + dlerror());
  void* entry = dlsym(handle, module_entry_point);
  if (!entry)
    return refused(path, "--device cuda: " + path + " is no lenet CUDA module (it has no " + module_entry_point + ")");
  const ModuleExports* exports = reinterpret_cast<ModuleEntryPoint>(entry)();
  if (exports->interface_version != module_interface_version)
    return refused(path, "--device cuda: the CUDA module " + path + " has interface version " +
                             std::to_string(exports->interface_version) + " and this lenet-train needs " +
                             std::to_string(module_interface_version) + " (rebuild them together)");
  return LoadedModule{path, exports, {}};
}

const LoadedModule& installed_module() {
  static const LoadedModule module = open_module(executable_folder() + "/" + module_file_name);
  return module;
}

}  // namespace lenet::cuda
