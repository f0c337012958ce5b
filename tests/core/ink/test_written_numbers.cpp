// Numbers set together from traced digits (core/ink/written_numbers.hpp): glyphs placed where
// their placements say, late strokes written after the next glyph, seeded numbers, and the
// stand-in's ranges apart from training's. Hand-made traced digits keep it fast; the number
// reader's tests (tests/core/read/test_number_reader.cpp) use real MNIST ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/ink/written_numbers.hpp"

using namespace lenet;

namespace {

// Image-px strokes as the tracer gives them: a 1 (one stroke) and a 4 (arm and bar, then stem).
const TracedDigit traced_one{{{{14, 4}, {14, 24}}}, 2, 20};
const TracedDigit traced_four{{{{16, 4}, {6, 18}, {20, 18}}, {{16, 4}, {16, 24}}}, 2, 50};

float min_x(const Stroke& s) {
  return std::min_element(s.begin(), s.end(), [](const Point& a, const Point& b) { return a.x < b.x; })->x;
}

bool same_strokes(const std::vector<Stroke>& a, const std::vector<Stroke>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Stroke& s, const Stroke& t) {
    return std::equal(s.begin(), s.end(), t.begin(), t.end(),
                      [](const Point& p, const Point& q) { return p.x == q.x && p.y == q.y; });
  });
}

}  // namespace

TEST_CASE("written numbers: a digit's glyph spans the line's height, from x = 0") {
  const Glyph four = digit_glyph(traced_four);
  REQUIRE(four.strokes.size() == 2);
  CHECK(four.strokes[0][0].x == doctest::Approx(0.5f));  // (16 - 6) / 20 line heights
  CHECK(four.strokes[0][0].y == doctest::Approx(0.0f));
  CHECK(four.strokes[1][1].y == doctest::Approx(1.0f));
  CHECK(four.width == doctest::Approx(0.7f));
  CHECK(digit_glyph(TracedDigit{}).strokes.empty());
}

TEST_CASE("written numbers: each separator's glyph, and one clear error for another character") {
  for (const char c : std::string(number_separators)) {
    CAPTURE(c);
    CHECK(!separator_glyph(c).strokes.empty());
  }
  CHECK_THROWS_WITH_AS(separator_glyph('a'), "'a' is not a separator written in numbers (-/.:,)", Error);
}

TEST_CASE("written numbers: glyphs go where their placements say, late strokes after the next glyph") {
  const Glyph four = digit_glyph(traced_four), one = digit_glyph(traced_one);
  std::vector<GlyphPlacement> at(2);
  at[1].gap = 0.5f;
  const float line = 100, pen = 10;
  const Drawing d = write_number({four, one}, at, line, pen);
  REQUIRE(d.strokes.size() == 3);
  const float margin = 0.5f * line + pen;
  CHECK(min_x(d.strokes[0]) == doctest::Approx(margin));
  CHECK(min_x(d.strokes[2]) == doctest::Approx(margin + (four.width + 0.5f) * line));  // the 1, after the gap
  CHECK(d.width == doctest::Approx(2 * margin + (four.width + 0.5f) * line));          // the 1 has no width
  CHECK(d.height == doctest::Approx(2 * margin + line));

  at[0].late_stroke = true;  // the 4's stem, written after the 1
  const Drawing late = write_number({four, one}, at, line, pen);
  REQUIRE(late.strokes.size() == 3);
  CHECK(same_strokes(late.strokes, {d.strokes[0], d.strokes[2], d.strokes[1]}));
  CHECK_THROWS_AS(write_number({four}, at, line, pen), Error);
}

TEST_CASE("written numbers: seeded, labelled with digits and at most one separator inside") {
  const std::vector<TracedDigit> traced = {traced_one, traced_four, TracedDigit{}};
  const std::vector<std::uint8_t> labels = {1, 4, 7};  // the 7 traced to nothing: never picked
  auto numbers = [&](std::uint64_t seed) {
    Rng rng(seed);
    std::vector<WrittenNumber> out;
    for (int i = 0; i < 200; ++i) out.push_back(write_random_number(traced, labels, training_number_ranges(), rng));
    return out;
  };
  const std::vector<WrittenNumber> first = numbers(3), again = numbers(3), other = numbers(4);
  std::size_t separators = 0, late = 0, different = 0;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const WrittenNumber& n = first[i];
    CAPTURE(n.label);
    CHECK(n.label == again[i].label);
    CHECK(same_strokes(n.drawing.strokes, again[i].drawing.strokes));
    different += n.label != other[i].label;
    CHECK(is_number_label(n.label));
    CHECK(n.label.find('7') == std::string::npos);
    CHECK(std::isdigit(static_cast<unsigned char>(n.label.front())));
    CHECK(std::isdigit(static_cast<unsigned char>(n.label.back())));
    const auto digits = std::size_t(std::count_if(n.label.begin(), n.label.end(), [](char c) { return c >= '0' && c <= '9'; }));
    CHECK(digits == n.digits);
    CHECK(n.label.size() - digits == (n.separator ? 1u : 0u));
    CHECK(difficulty_tags(n).find(n.digits <= 4 ? "digits-2-4" : "digits-5-10") == 0);
    separators += n.separator;
    late += n.late_stroke;
  }
  CHECK(different > 150);
  CHECK(separators > 20);
  CHECK(late > 20);
  Rng rng(1);
  const std::vector<TracedDigit> nothing = {TracedDigit{}};
  CHECK_THROWS_WITH_AS(write_random_number(nothing, std::vector<std::uint8_t>{1}, training_number_ranges(), rng),
                       "no traced digit has strokes to write a number with", Error);
}

TEST_CASE("written numbers: the stand-in's geometry is what training's ranges leave out") {
  const WrittenNumberRanges &train = training_number_ranges(), &stand_in = stand_in_number_ranges();
  const std::pair<const Range*, const Range*> ranges[] = {{&train.gap, &stand_in.gap},
                                                          {&train.overlap, &stand_in.overlap},
                                                          {&train.scale, &stand_in.scale},
                                                          {&train.drop, &stand_in.drop},
                                                          {&train.pen, &stand_in.pen}};
  Rng rng(11);
  for (const auto& [training, held_out] : ranges)
    for (int i = 0; i < 500; ++i) {
      const float t = training->sample(rng), s = held_out->sample(rng);
      CHECK_FALSE((t > training->gap_lo && t < training->gap_hi));
      CHECK((s >= training->gap_lo && s <= training->gap_hi));
    }
}
