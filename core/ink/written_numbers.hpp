#pragma once
// Whole numbers written on one line, set together from MNIST digits traced into strokes (trace.hpp)
// and the separators people write inside numbers (- / . : ,), to train and measure the number
// reader (core/read/number_reader.hpp) without outside data. What makes reading a number hard is
// drawn from ranges: the gaps between characters (digits written close, or overlapping), their
// sizes and their baselines wandering, the pen, and digits whose last stroke (the bar of a 4 or
// a 7, the hat of a 5) is written after the next digit.
//
// As in style_proxy.hpp, training's ranges leave gaps that the stand-in's ranges fill alone, so
// the stand-in (MNIST *test* digits, its own seeds) has spacing and sizes training never draws.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/ink/styles.hpp"

namespace lenet {

// A character ready to be written: strokes in line units (y = 0 the line's top, y = 1 its
// baseline, x = 0 the glyph's left edge), all written with the number's pen.
struct Glyph {
  std::vector<Stroke> strokes;
  float width = 0;  // of its strokes' box (centre lines, without the pen)
};

// The traced digit scaled so that its strokes span the line's height. No strokes: an empty glyph.
Glyph digit_glyph(const TracedDigit& traced);
// '-', '/', '.', ':' or ',' as people write them. Throws lenet::Error for another character.
Glyph separator_glyph(char separator);

// Where a glyph goes, in line heights.
struct GlyphPlacement {
  float gap = 0.2f;    // from the previous glyph's right edge to this one's left (negative: they overlap)
  float scale = 1;     // its size, about its baseline
  float drop = 0;      // its baseline below the line's (negative: above)
  bool late_stroke = false;  // its last stroke is written after the next glyph (only if it has two or more)
};

// The glyphs left to right on a canvas with a margin of half a line height all round; line_height
// and pen_width in canvas px. Stroke order: glyph by glyph, except the late strokes.
Drawing write_number(const std::vector<Glyph>& glyphs, const std::vector<GlyphPlacement>& placements,
                     float line_height, float pen_width);

struct WrittenNumberRanges {
  Range digits;                // how many digits
  float separator_probability;  // that one separator stands between two of the digits (numbers of 2+ digits)
  Range gap;                   // between characters, line heights
  float overlap_probability;   // that a gap is an overlap instead, drawn from `overlap`
  Range overlap;
  Range scale;                 // each character's size
  Range drop;                  // each character's baseline
  float late_stroke_probability;  // of a multi-stroke digit with a digit after it
  Range pen;                   // the pen's width, line heights
  float line_height;           // canvas px
};
const WrittenNumberRanges& training_number_ranges();
const WrittenNumberRanges& stand_in_number_ranges();

// One written number and what makes it hard, for the per-difficulty figures.
struct WrittenNumber {
  Drawing drawing;
  std::string label;             // digits and separators, e.g. "5/27"
  bool overlapping = false;      // two neighbouring characters overlap
  bool multi_stroke = false;     // a digit of two or more strokes
  bool late_stroke = false;      // a stroke written after the next digit
  bool separator = false;
  std::size_t digits = 0;
};

// A random number from the traced digits (`labels[i]` the class of `traced[i]`; a digit that
// traced to nothing is never picked). Throws lenet::Error if none has strokes.
WrittenNumber write_random_number(std::span<const TracedDigit> traced, std::span<const std::uint8_t> labels,
                                  const WrittenNumberRanges& ranges, Rng& rng);

// The difficulties as tags ("digits-2-4", "digits-5-10", "overlap", "multi-stroke", "late-stroke",
// "separator"), comma-separated: what `lenet-train eval-drawings --number` tallies per tag.
std::string difficulty_tags(const WrittenNumber& number);

}  // namespace lenet
