#pragma once
// Tracing a training set into strokes, once per run, on every thread, for --drawn.

#include <cstddef>

#include "core/ink/drawn_digit.hpp"
#include "core/formats/idx.hpp"

namespace lenet {

// Every image of `data` traced (trace_digit), in order; takes about a millisecond per image and thread.
std::vector<TracedDigit> trace_dataset(const Dataset& data, std::size_t threads);

}  // namespace lenet
