#include "core/read/plausibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/ink/geometry.hpp"
#include "core/ink/trace.hpp"
#include "core/nn/loss.hpp"
#include "core/read/inference.hpp"

namespace lenet {

namespace {

constexpr std::size_t side = digit_side, pixels = side * side;

// Whether segments ab and cd cross properly (touching ends do not count).
bool segments_cross(Point a, Point b, Point c, Point d) {
  auto turn = [](Point p, Point q, Point r) { return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x); };
  const float d1 = turn(c, d, a), d2 = turn(c, d, b), d3 = turn(a, b, c), d4 = turn(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

// An end is loose when no other stroke passes within 3/4 of the pen of it (a T-junction's stem
// ends on the bar: not loose).
bool loose_end(Point end, std::size_t own, const std::vector<Stroke>& strokes, float near) {
  for (std::size_t b = 0; b < strokes.size(); ++b) {
    if (b == own) continue;
    const Stroke& s = strokes[b];
    for (std::size_t k = 0; k < s.size(); ++k)
      if (distance_to_segment(end, s[k], s[k + 1 < s.size() ? k + 1 : k]) <= near) return false;
  }
  return true;
}

// A stroke is a diagonal when it runs nearly straight (its chord at least 0.85 of its length) at
// 15 to 75 degrees from the horizontal; lean is the sign of its slope (y down).
int diagonal_lean(const Stroke& s) {
  if (s.size() < 2) return 0;
  const float length = path_length(s);
  const float dx = s.back().x - s.front().x, dy = s.back().y - s.front().y, chord = std::hypot(dx, dy);
  if (chord < 0.85f * length || chord == 0) return 0;
  const float degrees = std::atan2(std::fabs(dy), std::fabs(dx)) * 180 / 3.14159265f;
  if (degrees < 15 || degrees > 75) return 0;
  return dx * dy > 0 ? 1 : -1;
}

bool strokes_cross(const Stroke& a, const Stroke& b) {
  for (std::size_t i = 0; i + 1 < a.size(); ++i)
    for (std::size_t j = 0; j + 1 < b.size(); ++j)
      if (segments_cross(a[i], a[i + 1], b[j], b[j + 1])) return true;
  return false;
}

void count_shape(const Digit28& digit, DigitSignals& s) {
  std::array<std::uint8_t, pixels> grey;
  for (std::size_t i = 0; i < pixels; ++i) grey[i] = std::uint8_t(std::lround(255 * std::clamp(digit.pixels[i], 0.0f, 1.0f)));
  const TracedDigit traced = trace_digit(grey.data(), side);
  const std::vector<Stroke>& strokes = traced.strokes;
  const float near = std::max(1.0f, 0.75f * traced.thickness);
  s.strokes = int(strokes.size());
  for (std::size_t a = 0; a < strokes.size(); ++a) {
    const Stroke& sa = strokes[a];
    const bool closed = sa.size() > 2 && sa.front().x == sa.back().x && sa.front().y == sa.back().y;
    if (sa.size() == 1) s.free_ends += 2;  // a dot
    else if (!closed)
      for (Point end : {sa.front(), sa.back()}) s.free_ends += loose_end(end, a, strokes, near);
    for (std::size_t b = a + 1; b < strokes.size(); ++b) {
      const int la = diagonal_lean(sa), lb = diagonal_lean(strokes[b]);
      if (la != 0 && la == -lb && strokes_cross(sa, strokes[b])) s.diagonal_cross = true;
    }
    for (std::size_t b = a; b < strokes.size(); ++b) {
      const Stroke& sb = strokes[b];
      for (std::size_t i = 0; i + 1 < sa.size(); ++i)
        for (std::size_t j = a == b ? i + 2 : 0; j + 1 < sb.size(); ++j) s.crossings += segments_cross(sa[i], sa[i + 1], sb[j], sb[j + 1]);
    }
  }
}

}  // namespace

const PlausibilityLimits& plausibility_limits() {
  static const PlausibilityLimits limits = [] {
    PlausibilityLimits l;
    // 95 % quantiles per class of MNIST training digits and their traced redrawings
    // (`lenet-train plausibility --set train` prints them).
    l.typical_ends = {2, 3, 3, 3, 4, 4, 3, 4, 3, 3};
    l.typical_strokes = {3, 2, 3, 3, 4, 3, 2, 3, 4, 2};
    l.typical_crossings = {1, 0, 1, 0, 1, 0, 1, 1, 1, 1};
    return l;
  }();
  return limits;
}

DigitSignals shape_signals(const Digit28& digit) {
  DigitSignals s;
  std::size_t y0 = side, y1 = 0;
  double ink = 0;
  for (std::size_t y = 0; y < side; ++y)
    for (std::size_t x = 0; x < side; ++x) {
      const float v = digit.pixels[y * side + x];
      ink += v;
      if (v >= 0.1f) y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  s.ink = float(ink / pixels);
  s.box_height = y1 >= y0 ? float(y1 - y0 + 1) : 0;
  count_shape(digit, s);
  return s;
}

namespace {

// The rule up to the network's steadiness: no, yes, or only if the reading is steady.
enum class ShapeVerdict { not_a_digit, digit, if_steady };

ShapeVerdict shape_verdict(const DigitSignals& s, const PlausibilityLimits& l) {
  if (s.ink > l.max_ink || s.box_height < l.min_height || s.crossings > l.max_crossings || s.diagonal_cross)
    return ShapeVerdict::not_a_digit;
  if (s.top_class >= l.typical_ends.size()) return ShapeVerdict::digit;  // more classes than digits: no shape statistics
  const std::size_t c = s.top_class;
  const bool unusual = s.free_ends > l.typical_ends[c] || s.strokes > l.typical_strokes[c] || s.crossings > l.typical_crossings[c];
  return unusual ? ShapeVerdict::if_steady : ShapeVerdict::digit;
}

// The mean probability of class c over the input shifted by 1 px each way: four network passes,
// one image each (the network keeps its buffers sized for one drawing; a batch would reshape them).
float steadiness(Network& network, const Normalization& norm, const Digit28& digit, std::size_t c) {
  const std::array<std::array<int, 2>, 4> shifts = {{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}};
  const std::size_t classes = network.num_classes();
  std::vector<float> p(classes);
  float sum = 0;
  for (const auto& [dx, dy] : shifts) {
    Digit28 d;
    d.pixels = shifted_pixels(digit.pixels, dx, dy);
    d.empty = false;
    softmax(forward_digit(network, norm, d).data(), classes, p.data());
    sum += p[c];
  }
  return sum / float(shifts.size());
}

DigitSignals signals_with_reading(const Digit28& digit, const std::vector<float>& probabilities) {
  DigitSignals s = shape_signals(digit);
  s.top_class = std::size_t(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
  s.top_probability = probabilities[s.top_class];
  return s;
}

}  // namespace

DigitSignals digit_signals(Network& network, const Normalization& norm, const Digit28& digit,
                           const std::vector<float>& probabilities) {
  DigitSignals s = signals_with_reading(digit, probabilities);
  s.steadiness = steadiness(network, norm, digit, s.top_class);
  return s;
}

bool looks_like_digit(const DigitSignals& s, const PlausibilityLimits& l) {
  const ShapeVerdict v = shape_verdict(s, l);
  return v == ShapeVerdict::digit || (v == ShapeVerdict::if_steady && s.steadiness >= l.steady);
}

bool looks_like_digit(Network& network, const Normalization& norm, const Digit28& digit,
                      const std::vector<float>& probabilities, const PlausibilityLimits& l) {
  DigitSignals s = signals_with_reading(digit, probabilities);
  const ShapeVerdict v = shape_verdict(s, l);
  if (v != ShapeVerdict::if_steady) return v == ShapeVerdict::digit;
  s.steadiness = steadiness(network, norm, digit, s.top_class);  // only now: four more network passes
  return looks_like_digit(s, l);
}

}  // namespace lenet
