#pragma once
#include <string>

namespace lenet {
inline std::string trainer_version() { return std::string("lenet-train ") + LENET_VERSION; }
}  // namespace lenet
