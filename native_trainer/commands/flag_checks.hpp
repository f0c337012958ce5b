#pragma once
// Checks of numeric flags whose refusals read as sentences ("--epochs: must be a whole number
// >= 1, not -1"), run on the text before CLI11 converts it: a negative count never wraps to 2^64-1.

#include <cstddef>
#include <limits>

#include <CLI/CLI.hpp>

namespace lenet {

CLI::Validator whole_number(std::size_t min, std::size_t max = std::numeric_limits<std::size_t>::max());
// A finite number in [min, max]: "--drawn: must be a number from 0 to 1, not '1.5'".
CLI::Validator number_between(double min, double max);

// The most worker threads a command accepts: far beyond any machine's cores, far below what the
// system refuses to start.
inline constexpr std::size_t max_threads = 1024;

}  // namespace lenet
