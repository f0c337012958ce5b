// The synthetic non-digits (core/ink/non_digits.hpp): seeded and deterministic, every kind drawn on the
// page's canvas with ink that preprocessing accepts, and different seeds give different drawings.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/ink/non_digits.hpp"
#include "core/ink/preprocess.hpp"

using namespace lenet;

TEST_CASE("a non-digit is a pure function of its seed and index") {
  for (std::size_t i = 0; i < 2 * all_non_digit_kinds().size(); ++i) {
    CAPTURE(i);
    CHECK(drawing_to_json(non_digit_sample(7, i)) == drawing_to_json(non_digit_sample(7, i)));
    CHECK(drawing_to_json(non_digit_sample(7, i)) != drawing_to_json(non_digit_sample(8, i)));
  }
}

TEST_CASE("every kind of non-digit is drawn, named once, and has ink on the page's canvas") {
  std::set<std::string> names;
  const std::size_t kinds = all_non_digit_kinds().size();
  for (std::size_t i = 0; i < 3 * kinds; ++i) {
    const NonDigitKind kind = non_digit_sample_kind(i);
    CAPTURE(non_digit_name(kind));
    CHECK(kind == all_non_digit_kinds()[i % kinds]);
    names.insert(non_digit_name(kind));
    const Drawing d = non_digit_sample(3, i);
    CHECK_NOTHROW(check_drawing(d));
    CHECK(!d.strokes.empty());
    CHECK(!preprocess_drawing(d).empty);
  }
  CHECK(names.size() == kinds);
}

TEST_CASE("a tap is one dot and a bar spans most of the pad") {
  Rng rng(11);
  const Drawing tap = draw_non_digit(NonDigitKind::tap, rng);
  REQUIRE(tap.strokes.size() == 1);
  float lo = 1e9f, hi = -1e9f;
  for (const Point& p : tap.strokes[0]) lo = std::min(lo, p.x), hi = std::max(hi, p.x);
  CHECK(hi - lo <= 4);
  const Drawing bar = draw_non_digit(NonDigitKind::long_bar, rng);
  lo = 1e9f, hi = -1e9f;
  for (const auto& s : bar.strokes)
    for (const Point& p : s) lo = std::min(lo, p.x), hi = std::max(hi, p.x);
  CHECK(hi - lo >= 0.7f * bar.width);
}
