#pragma once
// Text that error messages and listings share.

#include <functional>
#include <string>
#include <string_view>

namespace lenet {

// The items' names joined as "a, b, c" (the choices an error message lists). `name` maps an item
// to something std::string can be built from: the item itself by default.
template <class Range, class Name = std::identity>
std::string join_names(const Range& items, Name name = {}, std::string_view separator = ", ") {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += separator;
    joined += std::string(std::invoke(name, item));
  }
  return joined;
}

}  // namespace lenet
