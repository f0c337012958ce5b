#include "core/ink/written_numbers.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/base/error.hpp"
#include "core/ink/geometry.hpp"

namespace lenet {

namespace {

// A whole number from a range of whole numbers, each as likely.
std::size_t sample_count(const Range& r, Rng& rng) {
  const auto lo = std::size_t(r.lo), hi = std::size_t(r.hi);
  return lo + std::size_t(rng.below(hi - lo + 1));
}

std::size_t pick_traced_digit(std::span<const TracedDigit> traced, Rng& rng) {
  // From a random start, the next digit that traced to something (rare gaps; never an endless draw).
  const std::size_t start = std::size_t(rng.below(traced.size()));
  for (std::size_t k = 0; k < traced.size(); ++k) {
    const std::size_t i = (start + k) % traced.size();
    if (!traced[i].strokes.empty()) return i;
  }
  throw Error("no traced digit has strokes to write a number with");
}

}  // namespace

Glyph digit_glyph(const TracedDigit& traced) {
  const auto [left, top, right, bottom] = bounds(traced.strokes);
  Glyph g;
  if (traced.strokes.empty()) return g;
  const float scale = 1.0f / std::max(bottom - top, 1e-3f);
  for (const Stroke& s : traced.strokes) {
    Stroke out;
    for (const Point& p : s) out.push_back({(p.x - left) * scale, (p.y - top) * scale});
    g.strokes.push_back(std::move(out));
  }
  g.width = (right - left) * scale;
  return g;
}

Glyph separator_glyph(char separator) {
  switch (separator) {
    case '-': return {{{{0, 0.55f}, {0.35f, 0.53f}}}, 0.35f};
    case '/': return {{{{0, 1}, {0.75f, 0}}}, 0.75f};  // 37 degrees from upright: most 1s lean less
    case '.': return {{{{0, 0.95f}, {0.02f, 0.95f}}}, 0.02f};  // a dab, not a tap: two points
    case ':': return {{{{0, 0.3f}, {0.02f, 0.3f}}, {{0, 0.88f}, {0.02f, 0.88f}}}, 0.02f};
    case ',': return {{{{0.1f, 0.85f}, {0.06f, 1.0f}, {0, 1.15f}}}, 0.1f};
    default: throw Error(std::string("'") + separator + "' is not a separator written in numbers (" + number_separators + ")");
  }
}

Drawing write_number(const std::vector<Glyph>& glyphs, const std::vector<GlyphPlacement>& placements, float line_height,
                     float pen_width) {
  if (glyphs.size() != placements.size()) throw Error("write_number needs one placement per glyph");
  // Every glyph's strokes in line units, then in the order they are written.
  std::vector<std::vector<Stroke>> placed(glyphs.size());
  float cursor = 0;
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    const GlyphPlacement& at = placements[i];
    const float left = i == 0 ? 0 : cursor + at.gap;
    for (const Stroke& s : glyphs[i].strokes) {
      Stroke out;
      for (const Point& p : s) out.push_back({left + p.x * at.scale, 1 - (1 - p.y) * at.scale + at.drop});
      placed[i].push_back(std::move(out));
    }
    cursor = std::max(cursor, left + glyphs[i].width * at.scale);
  }
  std::vector<Stroke> order;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const bool defer = placements[i].late_stroke && placed[i].size() >= 2 && i + 1 < placed.size();
    order.insert(order.end(), placed[i].begin(), placed[i].end() - (defer ? 1 : 0));
    if (i > 0 && placements[i - 1].late_stroke && placed[i - 1].size() >= 2) order.push_back(placed[i - 1].back());
  }
  const auto [left, top, right, bottom] = bounds(order);
  Drawing d{0, 0, pen_width, {}};
  if (order.empty()) return d;
  const float margin = 0.5f * line_height + pen_width;
  for (const Stroke& s : order) {
    std::vector<Point> out;
    for (const Point& p : s) out.push_back({margin + (p.x - left) * line_height, margin + (p.y - top) * line_height});
    d.strokes.push_back(std::move(out));
  }
  d.width = 2 * margin + (right - left) * line_height;
  d.height = 2 * margin + (bottom - top) * line_height;
  return d;
}

const WrittenNumberRanges& training_number_ranges() {
  static const WrittenNumberRanges ranges = {
      .digits = {2, 10},
      .separator_probability = 0.3f,
      .gap = {0.0f, 0.6f, 0.12f, 0.2f},
      .overlap_probability = 0.15f,
      .overlap = {-0.15f, 0.0f, -0.08f, -0.05f},
      .scale = {0.75f, 1.2f, 0.9f, 0.95f},
      .drop = {-0.15f, 0.15f, 0.04f, 0.07f},
      .late_stroke_probability = 0.3f,
      .pen = {0.07f, 0.16f, 0.1f, 0.11f},
      .line_height = 150,
  };
  return ranges;
}

// training_number_ranges()'s gaps, as ranges of their own.
const WrittenNumberRanges& stand_in_number_ranges() {
  static const WrittenNumberRanges ranges = {
      .digits = {2, 10},
      .separator_probability = 0.3f,
      .gap = {0.12f, 0.2f},
      .overlap_probability = 0.15f,
      .overlap = {-0.08f, -0.05f},
      .scale = {0.9f, 0.95f},
      .drop = {0.04f, 0.07f},
      .late_stroke_probability = 0.3f,
      .pen = {0.1f, 0.11f},
      .line_height = 150,
  };
  return ranges;
}

WrittenNumber write_random_number(std::span<const TracedDigit> traced, std::span<const std::uint8_t> labels,
                                  const WrittenNumberRanges& ranges, Rng& rng) {
  if (traced.size() != labels.size() || traced.empty()) throw Error("write_random_number needs one label per traced digit");
  WrittenNumber n;
  n.digits = sample_count(ranges.digits, rng);
  std::vector<Glyph> glyphs;
  std::vector<bool> is_digit;
  for (std::size_t k = 0; k < n.digits; ++k) {
    const std::size_t i = pick_traced_digit(traced, rng);
    glyphs.push_back(digit_glyph(traced[i]));
    is_digit.push_back(true);
    n.label += char('0' + labels[i]);
    n.multi_stroke = n.multi_stroke || glyphs.back().strokes.size() >= 2;
  }
  if (n.digits >= 2 && rng.uniform() < ranges.separator_probability) {
    const std::size_t at = 1 + std::size_t(rng.below(n.digits - 1));
    const char c = number_separators[rng.below(std::strlen(number_separators))];
    glyphs.insert(glyphs.begin() + std::ptrdiff_t(at), separator_glyph(c));
    is_digit.insert(is_digit.begin() + std::ptrdiff_t(at), false);
    n.label.insert(n.label.begin() + std::ptrdiff_t(at), c);
    n.separator = true;
  }
  std::vector<GlyphPlacement> placements(glyphs.size());
  for (std::size_t k = 0; k < glyphs.size(); ++k) {
    GlyphPlacement& p = placements[k];
    const bool overlaps = rng.uniform() < ranges.overlap_probability;
    p.gap = overlaps ? ranges.overlap.sample(rng) : ranges.gap.sample(rng);
    p.scale = ranges.scale.sample(rng);
    p.drop = ranges.drop.sample(rng);
    const bool can_be_late = is_digit[k] && glyphs[k].strokes.size() >= 2 && k + 1 < glyphs.size() && is_digit[k + 1];
    p.late_stroke = can_be_late && rng.uniform() < ranges.late_stroke_probability;
    n.overlapping = n.overlapping || (k > 0 && overlaps);
    n.late_stroke = n.late_stroke || p.late_stroke;
  }
  n.drawing = write_number(glyphs, placements, ranges.line_height, ranges.pen.sample(rng) * ranges.line_height);
  return n;
}

std::string difficulty_tags(const WrittenNumber& n) {
  std::string tags = n.digits <= 1 ? "digits-1" : n.digits <= 4 ? "digits-2-4" : "digits-5-10";
  if (n.overlapping) tags += ",overlap";
  if (n.multi_stroke) tags += ",multi-stroke";
  if (n.late_stroke) tags += ",late-stroke";
  if (n.separator) tags += ",separator";
  return tags;
}

}  // namespace lenet
