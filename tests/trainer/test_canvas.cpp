// The report's pictures: text must show every glyph of what it is given.
#include <doctest/doctest.h>

#include <string>

#include "native_trainer/report/canvas.hpp"

namespace {

constexpr lenet::Rgb black{0, 0, 0};

// How many pixels differ between a string drawn at once and the same string drawn glyph by glyph,
// each at the position the string's width up to it gives (easy_font places glyphs side by side).
int pixels_unlike_glyph_by_glyph(const std::string& s, int scale) {
  const int width = lenet::Canvas::text_width(s, scale) + 8 * scale, height = 16 * scale;
  lenet::Canvas whole(width, height), glyphs(width, height);
  whole.text(2, 2, s, scale, black);
  for (std::size_t i = 0; i < s.size(); ++i)
    glyphs.text(2 + lenet::Canvas::text_width(s.substr(0, i), scale), 2, s.substr(i, 1), scale, black);
  int unlike = 0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const lenet::Rgb a = whole.pixel(x, y), b = glyphs.pixel(x, y);
      unlike += a.r != b.r || a.g != b.g || a.b != b.b;
    }
  return unlike;
}

int ink_pixels(const std::string& s) {
  lenet::Canvas c(lenet::Canvas::text_width(s, 1) + 8, 16);
  c.text(2, 2, s, 1, black);
  int ink = 0;
  for (int y = 0; y < c.height(); ++y)
    for (int x = 0; x < c.width(); ++x) ink += c.pixel(x, y).r == 0;
  return ink;
}

}  // namespace

TEST_CASE("Canvas text draws every glyph of every confusion-matrix count and axis label") {
  // A confusion matrix of MNIST's test set holds counts up to 1,135; the loss chart's axis decimals.
  for (int n = 0; n <= 1200; ++n) {
    CAPTURE(n);
    REQUIRE(pixels_unlike_glyph_by_glyph(std::to_string(n), 1) == 0);
  }
  for (const std::string s : {"0.328", "0.0488", "100.00 %", "pred 8 / true 0", "888888888888"}) {
    CAPTURE(s);
    CHECK(pixels_unlike_glyph_by_glyph(s, 1) == 0);
    CHECK(pixels_unlike_glyph_by_glyph(s, 2) == 0);
  }
}

TEST_CASE("Canvas text: a glyph's ink is the same alone and at the end of a long number") {
  // "8" was cut after its first segments at the end of "988" (it showed as "93").
  CHECK(ink_pixels("988") == ink_pixels("9") + 2 * ink_pixels("8"));
  CHECK(ink_pixels("1025") == ink_pixels("1") + ink_pixels("0") + ink_pixels("2") + ink_pixels("5"));
  CHECK(ink_pixels("8") > 0);
}
