#pragma once
// A stand-in for digits people draw, to measure a model with: MNIST *test* digits traced into
// strokes and rewritten in each writing style with geometry that training never draws. Every
// held-out range is the gap that training_style_ranges() leaves in the same parameter, so no
// styled training digit has the shape of a held-out one; the generator's seed is its own, and the
// digits are the test set's. Nothing in training includes this header.

#include <cstddef>
#include <cstdint>

#include "core/ink/styles.hpp"

namespace lenet {

// The gaps of training_style_ranges(), as ranges of their own.
const StyleRanges& held_out_style_ranges();

// How a measurement draws: the page's canvas and pen, the digit filling 45-75 % of the canvas.
inline constexpr float page_canvas = 280, page_pen = 18;

// Test digit `index`, traced, written in `style` with `ranges` (Style::none: as traced, with its own
// stroke thickness, filling 60 % of the canvas) and placed as a person draws on the page. A pure
// function of its arguments: the same digit, style and index give the same drawing.
Drawing styled_test_drawing(const TracedDigit& traced, Style style, const StyleRanges& ranges, std::size_t index);

}  // namespace lenet
