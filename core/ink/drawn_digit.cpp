#include "core/ink/drawn_digit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lenet {

namespace {

// Each stroke of a multi-stroke digit moves and turns a little on its own.
void nudge_strokes(std::vector<Stroke>& strokes, const DrawnDigitConfig& c, Rng& rng) {
  float lo = INFINITY, hi = -INFINITY;
  for (const Stroke& s : strokes)
    for (const Point& p : s) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
  const float reach = c.stroke_shift * (hi - lo);
  for (Stroke& s : strokes) {
    const float dx = rng.uniform(-reach, reach), dy = rng.uniform(-reach, reach);
    const float turn = rng.uniform(-1.0f, 1.0f) * c.stroke_turn_degrees * std::numbers::pi_v<float> / 180.0f;
    if (strokes.size() == 1) continue;  // one stroke: nothing to come apart (the draws keep the stream fixed)
    Point centre{0, 0};
    for (const Point& p : s) centre.x += p.x / float(s.size()), centre.y += p.y / float(s.size());
    const float cs = std::cos(turn), sn = std::sin(turn);
    for (Point& p : s) {
      const float x = p.x - centre.x, y = p.y - centre.y;
      p = {centre.x + cs * x - sn * y + dx, centre.y + sn * x + cs * y + dy};
    }
  }
}

float longer_side(const std::vector<Stroke>& strokes) {
  float lx = INFINITY, ly = INFINITY, hx = -INFINITY, hy = -INFINITY;
  for (const Stroke& s : strokes)
    for (const Point& p : s) lx = std::min(lx, p.x), hx = std::max(hx, p.x), ly = std::min(ly, p.y), hy = std::max(hy, p.y);
  return std::max(hx - lx, hy - ly);
}

}  // namespace

std::vector<Style> styles_of_digit(int label) {
  std::vector<Style> out;
  for (Style s : all_styles())
    if (style_digit(s) == label) out.push_back(s);
  return out;
}

DrawnDigit draw_traced_digit(const TracedDigit& traced, Style forced, const DrawnDigitConfig& c, Rng& rng) {
  DrawnDigit out;
  out.style = traced.strokes.empty() ? Style::none : forced;
  std::vector<Stroke> strokes = out.style == Style::none ? traced.strokes : restyle(traced, out.style, c.ranges, rng);
  nudge_strokes(strokes, c, rng);
  const float side = std::max(longer_side(strokes), 1.0f);
  const float pen = std::clamp(c.pen_scale.sample(rng) * traced.thickness, c.pen_fraction.lo * side, c.pen_fraction.hi * side);
  out.drawing = place_on_canvas(strokes, pen, c.canvas_size, c.fill.sample(rng));
  out.digit = preprocess_drawing(out.drawing);
  return out;
}

DrawnDigit draw_traced_digit(const TracedDigit& traced, int label, const DrawnDigitConfig& c, Rng& rng) {
  const std::vector<Style> styles = styles_of_digit(label);
  Style style = Style::none;
  if (!styles.empty() && rng.uniform() < c.restyle_probability) style = styles[rng.below(styles.size())];
  return draw_traced_digit(traced, style, c, rng);
}

}  // namespace lenet
