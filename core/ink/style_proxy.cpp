#include "core/ink/style_proxy.hpp"

#include <algorithm>
#include <cmath>

namespace lenet {

namespace {

constexpr std::uint64_t held_out_seed = 0x51a7ed0c7e57d161ULL;  // used by nothing else

Range gap_of(const Range& r) { return {r.gap_lo, r.gap_hi}; }

}  // namespace

const StyleRanges& held_out_style_ranges() {
  static const StyleRanges ranges = [] {
    const StyleRanges& t = training_style_ranges();
    return StyleRanges{
        .flag_angle = gap_of(t.flag_angle),
        .flag_length = gap_of(t.flag_length),
        .flag_bend = gap_of(t.flag_bend),
        .base_length = gap_of(t.base_length),
        .cross_height = gap_of(t.cross_height),
        .cross_length = gap_of(t.cross_length),
        .slash_angle = gap_of(t.slash_angle),
        .slash_length = gap_of(t.slash_length),
        .four_bar_height = gap_of(t.four_bar_height),
        .four_stem_at = gap_of(t.four_stem_at),
        .four_corner = gap_of(t.four_corner),
        .loop_size = gap_of(t.loop_size),
        .loop_gap = gap_of(t.loop_gap),
        .three_middle = gap_of(t.three_middle),
        .slant = gap_of(t.slant),
        .wobble = gap_of(t.wobble),
    };
  }();
  return ranges;
}

Drawing styled_test_drawing(const TracedDigit& traced, Style style, const StyleRanges& ranges, std::size_t index) {
  if (style == Style::none || traced.strokes.empty())
    return place_on_canvas(traced.strokes, traced.thickness, page_canvas, 0.6f);
  Rng rng(held_out_seed + 16 * std::uint64_t(index) + std::uint64_t(style));
  const std::vector<Stroke> strokes = restyle(traced, style, ranges, rng);
  // The page's pen is fixed; the person picks the size: the pen, in the strokes' units, is
  // page_pen / the scale at which the digit fills the chosen share of the canvas.
  float lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY;
  for (const Stroke& s : strokes)
    for (const Point& p : s) lo_x = std::min(lo_x, p.x), hi_x = std::max(hi_x, p.x), lo_y = std::min(lo_y, p.y), hi_y = std::max(hi_y, p.y);
  const float fill = rng.uniform(0.45f, 0.75f), side = std::max(std::max(hi_x - lo_x, hi_y - lo_y), 1.0f);
  const float scale = fill * page_canvas / side;  // canvas px per stroke unit, before the pen is added
  const float pen = page_pen / scale;
  return place_on_canvas(strokes, pen, page_canvas, fill * (side + pen) / side);
}

}  // namespace lenet
