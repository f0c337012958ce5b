// The report's pictures: text must show every glyph of what it is given.
#include <doctest/doctest.h>

#include <string>

#include "native_trainer/report/canvas.hpp"

namespace {

constexpr lenet::Rgb black{0, 0, 0};

bool is_ink(const lenet::Rgb& p) { return p.r == 0 && p.g == 0 && p.b == 0; }

int ink_pixels(const lenet::Canvas& c) {
  int ink = 0;
  for (int y = 0; y < c.height(); ++y)
    for (int x = 0; x < c.width(); ++x) ink += is_ink(c.pixel(x, y));
  return ink;
}

// `s` drawn at once on a canvas of its own, with room around it.
lenet::Canvas drawn(const std::string& s, int scale) {
  lenet::Canvas c(lenet::Canvas::text_width(s, scale) + 8 * scale, 16 * scale);
  c.text(2, 2, s, scale, black);
  return c;
}

int ink_pixels(const std::string& s, int scale = 1) { return ink_pixels(drawn(s, scale)); }

// The ink of each character of `s` drawn alone, added up.
int ink_of_its_glyphs(const std::string& s, int scale) {
  int ink = 0;
  for (const char c : s) ink += ink_pixels(std::string(1, c), scale);
  return ink;
}

// How many pixels differ between a string drawn at once and the same string drawn glyph by glyph,
// each at the position the string's width up to it gives (easy_font places glyphs side by side).
int pixels_unlike_glyph_by_glyph(const std::string& s, int scale) {
  const lenet::Canvas whole = drawn(s, scale);
  lenet::Canvas glyphs(whole.width(), whole.height());
  for (std::size_t i = 0; i < s.size(); ++i)
    glyphs.text(2 + lenet::Canvas::text_width(s.substr(0, i), scale), 2, s.substr(i, 1), scale, black);
  int unlike = 0;
  for (int y = 0; y < whole.height(); ++y)
    for (int x = 0; x < whole.width(); ++x) {
      const lenet::Rgb a = whole.pixel(x, y), b = glyphs.pixel(x, y);
      unlike += a.r != b.r || a.g != b.g || a.b != b.b;
    }
  return unlike;
}

}  // namespace

TEST_CASE("Canvas text draws every glyph of every confusion-matrix count and axis label") {
  // A confusion matrix of MNIST's test set holds counts up to 1,135; the loss chart's axis decimals.
  // Drawn at once or glyph by glyph, the same pixels; and as many as its glyphs have alone, so
  // none was left out (two blank canvases would also be alike).
  for (int n = 0; n <= 1200; ++n) {
    const std::string s = std::to_string(n);
    CAPTURE(s);
    REQUIRE(pixels_unlike_glyph_by_glyph(s, 1) == 0);
    REQUIRE(ink_pixels(s) == ink_of_its_glyphs(s, 1));
  }
  for (const std::string s : {"0.328", "0.0488", "100.00 %", "pred 8 / true 0", "888888888888"}) {
    CAPTURE(s);
    for (const int scale : {1, 2}) {
      CAPTURE(scale);
      CHECK(pixels_unlike_glyph_by_glyph(s, scale) == 0);
      CHECK(ink_pixels(s, scale) == ink_of_its_glyphs(s, scale));
    }
  }
}

TEST_CASE("Canvas text: a glyph's ink is the same alone and at the end of a long number") {
  // "8" was cut after its first segments at the end of "988" (it showed as "93").
  for (const char digit : std::string("0123456789")) {
    CAPTURE(digit);
    CHECK(ink_pixels(std::string(1, digit)) > 0);  // or the sums below would prove nothing
  }
  CHECK(ink_pixels("988") == ink_pixels("9") + 2 * ink_pixels("8"));
  CHECK(ink_pixels("1025") == ink_pixels("1") + ink_pixels("0") + ink_pixels("2") + ink_pixels("5"));
}
