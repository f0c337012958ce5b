#pragma once
// Numbers as people read them in the CLI's output: 60,000 images, 1 epoch, 2 epochs.

#include <cstddef>
#include <string>

namespace lenet {

// 91594 -> "91,594".
std::string with_thousands(std::size_t n);
// (1, "epoch") -> "1 epoch", (40, "epoch") -> "40 epochs", with thousands separators; the plural
// is the noun + "s" unless given ("batch", "batches").
std::string count_of(std::size_t n, const std::string& noun, const std::string& plural = "");
// A number as typed (%g): 0.002, not 0.0020000000949949026 (a float read as double); 1, not 1.000000.
std::string short_number(double v);

}  // namespace lenet
