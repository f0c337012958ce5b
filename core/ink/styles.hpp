#pragma once
// Writing styles that MNIST (US census staff and students) barely contains but people across
// Europe, Latin America and Asia write every day, synthesized stroke by stroke from a traced digit:
//   flagged-1        a long up-stroke from the lower left to the top of the stem
//   flagged-based-1  the same with a bar at the foot
//   crossed-7        a short bar across the stem
//   slashed-0        a diagonal through the ring
//   open-top-4       left arm and stem apart at the top, often one stroke with a rounded corner
//   small-loop-6, open-loop-6, small-loop-9, open-loop-9: the loop small, or not closed
//   flat-top-3       a flat bar, a diagonal down to the middle, then the lower bowl
// 1, 7 and 0 keep the traced strokes and gain the new ones; 4, 6, 9 and 3 are drawn anew inside
// the traced digit's box (their structure differs from MNIST's, not just an added stroke).
//
// Every geometric choice is drawn from a StyleRanges value and the caller's generator, so the same
// seed gives the same strokes. Training uses training_style_ranges(); a measurement that must not
// overlap training (the held-out proxy, style_proxy.hpp, that `lenet-train trace --styles held-out`
// writes) defines its own ranges there.

#include <array>
#include <span>
#include <string>

#include "core/base/random.hpp"
#include "core/ink/trace.hpp"

namespace lenet {

enum class Style {
  none,
  flagged_one,
  flagged_based_one,
  crossed_seven,
  slashed_zero,
  open_top_four,
  small_loop_six,
  open_loop_six,
  small_loop_nine,
  open_loop_nine,
  flat_top_three,
};

// Every style but `none`, in declaration order.
std::span<const Style> all_styles();
const char* style_name(Style style);  // "flagged-1", ...; "none" for none
Style style_from_name(const std::string& name);  // throws lenet::Error listing the names
int style_digit(Style style);                      // the digit it writes (-1 for none)

// Values drawn uniformly from [lo, hi] minus the open interval (gap_lo, gap_hi) when gap_lo < gap_hi:
// a gap leaves values out that another generator (a held-out measurement) may use alone.
struct Range {
  float lo = 0, hi = 0;
  float gap_lo = 0, gap_hi = 0;

  float sample(Rng& rng) const;
  bool contains(float v) const { return v >= lo && v <= hi && !(v > gap_lo && v < gap_hi); }
};

// Lengths are fractions of the traced digit's height (its box's longer side for the 0), angles in
// degrees.
struct StyleRanges {
  Range flag_angle;       // the 1's flag below the horizontal
  Range flag_length;      // flag length / stem length
  Range flag_bend;        // the flag's sag, fraction of its length (+ bows it down)
  Range base_length;      // the 1's foot / stem length
  Range cross_height;     // where the 7's bar crosses: fraction of the height from the top
  Range cross_length;     // the 7's bar / height
  Range slash_angle;      // the 0's slash against the horizontal ("/" is positive)
  Range slash_length;     // the slash / the ring's longer side
  Range four_bar_height;  // the 4's bar: fraction of the height from the top
  Range four_stem_at;     // the 4's stem: fraction of the width from the left
  Range four_corner;      // rounding of the arm-bar corner: fraction of the arm's length
  Range loop_size;        // a small loop's height / digit height
  Range loop_gap;         // an open loop's gap, degrees of arc
  Range three_middle;     // the flat-top 3's diagonal ends at this fraction of the height
  Range slant;            // shear of a glyph drawn anew (x += slant * (y - centre))
  Range wobble;           // smooth wander of a glyph drawn anew, fraction of its height
};

// The ranges training samples from: wide, with gaps that a held-out measurement can use.
const StyleRanges& training_style_ranges();

// The digit's strokes rewritten in `style` (image coordinates as traced). Style::none returns the
// traced strokes unchanged. The traced digit must have strokes.
std::vector<Stroke> restyle(const TracedDigit& digit, Style style, const StyleRanges& ranges, Rng& rng);

}  // namespace lenet
