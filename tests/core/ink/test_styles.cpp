// Writing-style synthesis (core/ink/styles.hpp) and training digits drawn from strokes
// (core/ink/drawn_digit.hpp): valid drawings, the same seed giving the same strokes, the geometry each
// style promises, and held-out ranges that training never draws from.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/ink/drawn_digit.hpp"
#include "core/base/error.hpp"
#include "core/formats/idx.hpp"
#include "core/ink/style_proxy.hpp"

using namespace lenet;

namespace {

const Dataset& mnist_test() {
  static const Dataset d =
      load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
  return d;
}

// The first `count` test digits of class `digit`, traced.
std::vector<TracedDigit> traced_digits(int digit, std::size_t count) {
  std::vector<TracedDigit> out;
  const Dataset& d = mnist_test();
  for (std::size_t i = 0; i < d.count && out.size() < count; ++i)
    if (d.labels[i] == digit) out.push_back(trace_digit(d.image(i), d.rows));
  return out;
}

struct Box {
  float lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY;
};

Box box_of(const std::vector<Stroke>& strokes) {
  Box b;
  for (const Stroke& s : strokes)
    for (const Point& p : s)
      b.lo_x = std::min(b.lo_x, p.x), b.hi_x = std::max(b.hi_x, p.x), b.lo_y = std::min(b.lo_y, p.y), b.hi_y = std::max(b.hi_y, p.y);
  return b;
}

// How often a horizontal line at height y crosses the strokes.
int crossings_at(const std::vector<Stroke>& strokes, float y) {
  int n = 0;
  for (const Stroke& s : strokes)
    for (std::size_t k = 1; k < s.size(); ++k) n += (s[k - 1].y - y) * (s[k].y - y) < 0;
  return n;
}

// The distance from p to the nearest segment (only steep ones, |dy| >= |dx|, when asked).
float distance_to_strokes(Point p, const std::vector<Stroke>& strokes, bool steep_only = false) {
  float best = INFINITY;
  for (const Stroke& s : strokes)
    for (std::size_t k = 1; k < s.size(); ++k) {
      const Point a = s[k - 1], b = s[k];
      if (steep_only && std::abs(b.y - a.y) < std::abs(b.x - a.x)) continue;
      const float ex = b.x - a.x, ey = b.y - a.y, len2 = ex * ex + ey * ey;
      const float t = len2 > 0 ? std::clamp(((p.x - a.x) * ex + (p.y - a.y) * ey) / len2, 0.0f, 1.0f) : 0.0f;
      best = std::min(best, std::hypot(p.x - a.x - t * ex, p.y - a.y - t * ey));
    }
  return best;
}

// How far the first point of a path is from the path beyond its first 30 % of length: a loop that
// closes comes back to its start, an open one does not.
float gap_at_start(const Stroke& path) {
  float total = 0;
  for (std::size_t k = 1; k < path.size(); ++k) total += std::hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y);
  float along = 0, nearest = INFINITY;
  for (std::size_t k = 1; k < path.size(); ++k) {
    along += std::hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y);
    if (along > 0.3f * total) nearest = std::min(nearest, std::hypot(path[k].x - path[0].x, path[k].y - path[0].y));
  }
  return nearest;
}

bool same_strokes(const std::vector<Stroke>& a, const std::vector<Stroke>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t s = 0; s < a.size(); ++s) {
    if (a[s].size() != b[s].size()) return false;
    for (std::size_t k = 0; k < a[s].size(); ++k)
      if (a[s][k].x != b[s][k].x || a[s][k].y != b[s][k].y) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("styles: names round-trip, each names its digit, an unknown name is one sentence") {
  REQUIRE(all_styles().size() == 10);
  for (Style s : all_styles()) {
    CHECK(style_from_name(style_name(s)) == s);
    CHECK(style_digit(s) >= 0);
    CHECK(style_digit(s) <= 9);
  }
  CHECK(style_digit(Style::flagged_one) == 1);
  CHECK(style_digit(Style::crossed_seven) == 7);
  CHECK(style_digit(Style::none) == -1);
  CHECK_THROWS_WITH_AS(style_from_name("gothic-7"), doctest::Contains("unknown writing style 'gothic-7'"), Error);
  CHECK(styles_of_digit(1).size() == 2);
  CHECK(styles_of_digit(2).empty());
}

TEST_CASE("styles: every style gives a valid drawing, and the same generator state the same strokes") {
  for (Style style : all_styles()) {
    CAPTURE(style_name(style));
    for (const TracedDigit& digit : traced_digits(style_digit(style), 20)) {
      Rng a(7), b(7);
      const std::vector<Stroke> strokes = restyle(digit, style, training_style_ranges(), a);
      CHECK(same_strokes(strokes, restyle(digit, style, training_style_ranges(), b)));
      REQUIRE(!strokes.empty());
      for (const Stroke& s : strokes) CHECK(s.size() >= 2);
      const Drawing drawing = place_on_canvas(strokes, digit.thickness, 280, 0.6f);
      CHECK_NOTHROW(check_drawing(drawing));
      const Box box = box_of(drawing.strokes);
      CHECK(box.lo_x >= 0);  // the digit stays on the canvas
      CHECK(box.hi_x <= 280);
      CHECK(box.lo_y >= 0);
      CHECK(box.hi_y <= 280);
      CHECK(!preprocess_drawing(drawing).empty);
    }
  }
  const TracedDigit nothing;
  Rng rng(1);
  CHECK_THROWS_AS(restyle(nothing, Style::flagged_one, training_style_ranges(), rng), Error);
}

TEST_CASE("styles: a flagged 1 has ink left of its stem near the top, and with a base ink on both sides at the foot") {
  for (const TracedDigit& one : traced_digits(1, 30)) {
    Rng rng(3);
    const std::vector<Stroke> flagged = restyle(one, Style::flagged_based_one, training_style_ranges(), rng);
    REQUIRE(flagged.size() == one.strokes.size() + 2);
    const Box stem = box_of(one.strokes);
    const Stroke& flag = flagged[one.strokes.size()];
    const Stroke& base = flagged[one.strokes.size() + 1];
    // The flag ends (its first point: it is drawn upwards) left of and below the stem's top, and
    // reaches the top.
    const float height = stem.hi_y - stem.lo_y;
    CHECK(flag.front().x < flag.back().x - 0.05f * height);
    CHECK(flag.front().y > flag.back().y + 0.05f * height);
    CHECK(std::abs(flag.back().y - stem.lo_y) < 0.06f * height);
    // The base runs across the stem's foot.
    CHECK(base.front().x < base.back().x);
    CHECK(std::abs(base.front().y - stem.hi_y) < 0.1f * height);
  }
}

TEST_CASE("styles: a crossed 7 has a bar crossing its stem between a third and four fifths down") {
  for (const TracedDigit& seven : traced_digits(7, 30)) {
    Rng rng(5);
    const std::vector<Stroke> crossed = restyle(seven, Style::crossed_seven, training_style_ranges(), rng);
    const Stroke& bar = crossed[seven.strokes.size()];
    const Box box = box_of(seven.strokes);
    const float y = 0.5f * (bar.front().y + bar.back().y), h = box.hi_y - box.lo_y;
    CHECK(y > box.lo_y + 0.3f * h);
    CHECK(y < box.lo_y + 0.8f * h);
    // Some point of the bar's inner 80 % touches the 7's stem (its steep segments): the bar crosses
    // the stem, with ink on both sides.
    bool crosses = false;
    for (std::size_t k = 4; k <= 36; ++k) {
      const float t = float(k) / 40;
      const Point p{bar.front().x + t * (bar.back().x - bar.front().x), bar.front().y + t * (bar.back().y - bar.front().y)};
      crosses = crosses || distance_to_strokes(p, seven.strokes, true) < 0.75f;
    }
    CHECK(crosses);
  }
}

TEST_CASE("styles: a slashed 0's slash rises to the right through the ring's middle") {
  for (const TracedDigit& zero : traced_digits(0, 30)) {
    Rng rng(9);
    const std::vector<Stroke> slashed = restyle(zero, Style::slashed_zero, training_style_ranges(), rng);
    const Stroke& slash = slashed.back();
    REQUIRE(slash.size() == 2);
    CHECK(slash[1].x > slash[0].x);
    CHECK(slash[1].y < slash[0].y);  // y grows downwards
    const Box ring = box_of({slashed.begin(), slashed.end() - 1});
    const Point middle{0.5f * (slash[0].x + slash[1].x), 0.5f * (slash[0].y + slash[1].y)};
    CHECK(std::abs(middle.x - 0.5f * (ring.lo_x + ring.hi_x)) < 0.15f * (ring.hi_x - ring.lo_x) + 0.5f);
    CHECK(std::abs(middle.y - 0.5f * (ring.lo_y + ring.hi_y)) < 0.1f * (ring.hi_y - ring.lo_y));
  }
}

TEST_CASE("styles: an open-top 4 crosses a line near its top twice (arm and stem, apart) and its bar once") {
  for (const TracedDigit& four : traced_digits(4, 30)) {
    Rng rng(11);
    const std::vector<Stroke> open = restyle(four, Style::open_top_four, training_style_ranges(), rng);
    const Box box = box_of(open);
    const float h = box.hi_y - box.lo_y;
    // Near the top: the arm and the stem (and a retrace's loop) but nothing joins them.
    CHECK(crossings_at(open, box.lo_y + 0.2f * h) >= 2);
    bool joined_at_top = false;
    for (const Stroke& s : open)
      for (std::size_t k = 1; k < s.size(); ++k)
        joined_at_top = joined_at_top || (s[k].y < box.lo_y + 0.2f * h && s[k - 1].y < box.lo_y + 0.2f * h &&
                                          std::abs(s[k].x - s[k - 1].x) > 0.3f * (box.hi_x - box.lo_x));
    CHECK_FALSE(joined_at_top);
  }
}

TEST_CASE("styles: a small loop is small, an open loop does not close") {
  for (int digit : {6, 9})
    for (const TracedDigit& traced : traced_digits(digit, 20)) {
      CAPTURE(digit);
      Rng rng(13);
      const Style small = digit == 6 ? Style::small_loop_six : Style::small_loop_nine;
      const Style open = digit == 6 ? Style::open_loop_six : Style::open_loop_nine;
      const std::vector<Stroke> s = restyle(traced, small, training_style_ranges(), rng);
      REQUIRE(s.size() == 1);
      const Box box = box_of(s);
      // Through the loop's middle a horizontal line crosses the stroke twice, through the other
      // half of the digit at most twice (the stem, a retrace).
      const float h = box.hi_y - box.lo_y;
      CHECK(crossings_at(s, digit == 6 ? box.hi_y - 0.12f * h : box.lo_y + 0.12f * h) >= 2);
      // The loop's free end (where a 9 starts, where a 6 stops) stays clear of the rest of the stroke.
      const std::vector<Stroke> o = restyle(traced, open, training_style_ranges(), rng);
      REQUIRE(o.size() == 1);
      Stroke path = o[0];
      if (digit == 6) std::reverse(path.begin(), path.end());
      CHECK(gap_at_start(path) > 0.04f * h);
      const std::vector<Stroke> closed = restyle(traced, small, training_style_ranges(), rng);
      Stroke closed_path = closed[0];
      if (digit == 6) std::reverse(closed_path.begin(), closed_path.end());
      CHECK(gap_at_start(closed_path) < gap_at_start(path));
    }
}

TEST_CASE("styles: a flat-top 3 starts with a flat bar") {
  for (const TracedDigit& three : traced_digits(3, 20)) {
    Rng rng(17);
    const std::vector<Stroke> s = restyle(three, Style::flat_top_three, training_style_ranges(), rng);
    REQUIRE(s.size() == 1);
    const Box box = box_of(s);
    const Point a = s[0][0], b = s[0][1];
    CHECK(b.x - a.x > 0.4f * (box.hi_x - box.lo_x));
    CHECK(std::abs(b.y - a.y) < 0.15f * (b.x - a.x) + 0.2f);
  }
}

TEST_CASE("styles: ranges with a gap sample outside it, and the held-out ranges are exactly training's gaps") {
  const Range r{0, 10, 4, 6};
  Rng rng(21);
  bool low = false, high = false;
  for (int k = 0; k < 2000; ++k) {
    const float v = r.sample(rng);
    CHECK(r.contains(v));
    CHECK_FALSE((v > 4 && v < 6));
    low = low || v < 4, high = high || v > 6;
  }
  CHECK((low && high));
  const StyleRanges& t = training_style_ranges();
  const StyleRanges& h = held_out_style_ranges();
  const std::vector<std::pair<const Range*, const Range*>> pairs = {
      {&t.flag_angle, &h.flag_angle},       {&t.flag_length, &h.flag_length},         {&t.flag_bend, &h.flag_bend},
      {&t.base_length, &h.base_length},     {&t.cross_height, &h.cross_height},       {&t.cross_length, &h.cross_length},
      {&t.slash_angle, &h.slash_angle},     {&t.slash_length, &h.slash_length},       {&t.four_bar_height, &h.four_bar_height},
      {&t.four_stem_at, &h.four_stem_at},   {&t.four_corner, &h.four_corner},         {&t.loop_size, &h.loop_size},
      {&t.loop_gap, &h.loop_gap},           {&t.three_middle, &h.three_middle},       {&t.slant, &h.slant},
      {&t.wobble, &h.wobble}};
  for (const auto& [train, held] : pairs) {
    CHECK(train->gap_lo < train->gap_hi);  // every training range leaves a gap ...
    CHECK(train->lo < train->gap_lo);      // ... inside it
    CHECK(train->gap_hi < train->hi);
    CHECK(held->lo == train->gap_lo);  // the held-out range is that gap
    CHECK(held->hi == train->gap_hi);
    for (int k = 0; k < 200; ++k) {
      const float v = held->sample(rng);
      CHECK((v >= train->gap_lo && v <= train->gap_hi));
      CHECK_FALSE((v > train->gap_lo && v < train->gap_hi && train->contains(v)));
    }
  }
}

TEST_CASE("drawn digits: a pure function of the traced digit and the generator, and drawn like the page's") {
  const TracedDigit one = traced_digits(1, 1)[0];
  const DrawnDigitConfig config;
  Rng a(42), b(42);
  const DrawnDigit x = draw_traced_digit(one, 1, config, a), y = draw_traced_digit(one, 1, config, b);
  CHECK(x.style == y.style);
  CHECK(x.digit.pixels == y.digit.pixels);
  CHECK(x.drawing.width == 280);
  CHECK(x.drawing.pen_width > 0);
  CHECK(!x.digit.empty);
  // The page's own preprocessing of the drawing gives the training digit.
  CHECK(preprocess_drawing(x.drawing).pixels == x.digit.pixels);
  // The configured share of the 1s comes out restyled, in both of the 1's styles alike.
  Rng rng(1);
  int flagged = 0, based = 0;
  for (int k = 0; k < 1000; ++k) {
    const Style s = draw_traced_digit(one, 1, config, rng).style;
    flagged += s == Style::flagged_one, based += s == Style::flagged_based_one;
  }
  CHECK(std::abs((flagged + based) / 1000.0 - config.restyle_probability) < 0.05);
  CHECK(std::abs(flagged - based) < 100);
  // A digit without styles is never restyled; one without strokes is drawn empty.
  Rng r2(2);
  CHECK(draw_traced_digit(traced_digits(2, 1)[0], 2, config, r2).style == Style::none);
  CHECK(draw_traced_digit(TracedDigit{}, 1, config, r2).digit.empty);
}

TEST_CASE("held-out drawings: a pure function of digit, style and index, drawn with the page's pen") {
  const TracedDigit seven = traced_digits(7, 1)[0];
  const Drawing a = styled_test_drawing(seven, Style::crossed_seven, held_out_style_ranges(), 17);
  const Drawing b = styled_test_drawing(seven, Style::crossed_seven, held_out_style_ranges(), 17);
  const Drawing c = styled_test_drawing(seven, Style::crossed_seven, held_out_style_ranges(), 18);
  CHECK(drawing_to_json(a) == drawing_to_json(b));
  CHECK(drawing_to_json(a) != drawing_to_json(c));
  CHECK(a.pen_width == doctest::Approx(page_pen));
  CHECK(a.strokes.size() >= seven.strokes.size() + 1);  // the bar, perhaps a tick
  const Drawing plain = styled_test_drawing(seven, Style::none, held_out_style_ranges(), 17);
  CHECK(plain.strokes.size() == seven.strokes.size());
}
