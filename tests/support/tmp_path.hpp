#pragma once
#include <string>

namespace lenet::testing {
// A path under the build's scratch folder (LENET_TEST_TMP_DIR), distinct per test file name.
inline std::string tmp_path(const std::string& name) { return std::string(LENET_TEST_TMP_DIR) + "/" + name; }
}  // namespace lenet::testing
