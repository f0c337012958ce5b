#pragma once
// lenet-train's side of module_interface.hpp: finds liblenet-cuda.so beside the executable,
// dlopen()s it and checks its interface version. Plain C++ and <dlfcn.h>: compiled into
// lenet-train in every build, with or without CUDA, and it links no CUDA library.

#include <string>

#include "native_trainer/cuda/module_interface.hpp"

namespace lenet::cuda {

struct LoadedModule {
  std::string path;                       // where the module was looked for
  const ModuleExports* exports = nullptr;  // null when it could not be used
  std::string error;                      // then one sentence: which step failed, and where
};

// Opens the module at path. Never throws; a module once opened stays loaded (what it made may
// live until the process ends).
LoadedModule open_module(const std::string& path);

// The module beside this executable (/proc/self/exe), opened on the first call only.
const LoadedModule& installed_module();

}  // namespace lenet::cuda
