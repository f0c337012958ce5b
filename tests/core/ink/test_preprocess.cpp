#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/ink/drawing.hpp"
#include "core/base/error.hpp"
#include "core/ink/preprocess.hpp"
#include "core/ink/rasterise.hpp"

using namespace lenet;

namespace {

constexpr std::size_t n = digit_side;

// A "7" (a bar and a slanted stem) in a 100 x 140 frame at (x, y), `scale` times larger.
Drawing seven(float x, float y, float scale) {
  Drawing d{1000, 800, 12 * scale, {}};
  d.strokes.push_back({{x, y}, {x + 100 * scale, y}, {x + 40 * scale, y + 140 * scale}});
  return d;
}

// An oval "0" as a closed polyline around (cx, cy).
Drawing ring(float cx, float cy, float rx, float ry, float pen) {
  Drawing d{500, 500, pen, {{}}};
  for (int k = 0; k <= 48; ++k) {
    const float a = 2 * 3.14159265f * static_cast<float>(k) / 48;
    d.strokes[0].push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
  }
  return d;
}

float mean_abs_diff(const float* a, const float* b, std::size_t count = n * n) {
  double s = 0;
  for (std::size_t i = 0; i < count; ++i) s += std::fabs(a[i] - b[i]);
  return static_cast<float>(s / static_cast<double>(count));
}

// The smallest mean_abs_diff over whole-pixel shifts of b by at most one pixel: the centring shift is
// a whole pixel, so a symmetric digit whose centre of mass falls half-way between two pixels may go
// either way.
float diff_up_to_one_pixel(const Digit28& a, const Digit28& b) {
  float best = 1;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      std::vector<float> moved(n * n, 0.0f);
      for (int y = 0; y < static_cast<int>(n); ++y)
        for (int x = 0; x < static_cast<int>(n); ++x) {
          const int sx = x - dx, sy = y - dy;
          if (sx >= 0 && sy >= 0 && sx < static_cast<int>(n) && sy < static_cast<int>(n))
            moved[static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x)] = b.pixels[static_cast<std::size_t>(sy) * n + static_cast<std::size_t>(sx)];
        }
      best = std::min(best, mean_abs_diff(a.pixels.data(), moved.data()));
    }
  return best;
}

// Centre of mass in index coordinates (pixel i's centre at i).
std::pair<double, double> centre_of_mass(const Digit28& d) {
  double m = 0, x = 0, y = 0;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = d.pixels[j * n + i];
      m += v, x += v * static_cast<double>(i), y += v * static_cast<double>(j);
    }
  return {x / m, y / m};
}

// Width and height of the box of pixels with at least `level` ink.
std::pair<std::size_t, std::size_t> box_size(const Digit28& d, float level = 0.05f) {
  std::size_t x0 = n, x1 = 0, y0 = n, y1 = 0;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i)
      if (d.pixels[j * n + i] >= level) x0 = std::min(x0, i), x1 = std::max(x1, i + 1), y0 = std::min(y0, j), y1 = std::max(y1, j + 1);
  return {x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

void check_centred(const Digit28& d) {
  const auto [cx, cy] = centre_of_mass(d);
  CHECK(std::fabs(cx - digit_centre) <= 0.5);
  CHECK(std::fabs(cy - digit_centre) <= 0.5);
}

// MNIST test images, read directly (16-byte header, then 28 x 28 bytes per image).
std::vector<std::uint8_t> mnist_test_images(std::size_t count) {
  std::ifstream in(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", std::ios::binary);
  REQUIRE(in);
  std::vector<std::uint8_t> bytes(16 + count * n * n);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(bytes.size()));
  return {bytes.begin() + 16, bytes.end()};
}

std::string json_error(const std::string& text) {
  try {
    drawings_from_json(text, "d.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("preprocess: the rasteriser draws a round anti-aliased pen") {
  // A horizontal line at y = 10.5, pen width 4: rows whose centre is within 1.5 px are solid, the
  // row at 2 px gets half coverage, the row at 3 px none.
  Drawing d{40, 20, 4, {{{5, 10.5f}, {30, 10.5f}}}};
  const auto ink = rasterise(d, 0, 0, 1, 40, 20);
  CHECK(ink[10 * 40 + 15] == doctest::Approx(1));
  CHECK(ink[9 * 40 + 15] == doctest::Approx(1));
  CHECK(ink[12 * 40 + 15] == doctest::Approx(0.5));
  CHECK(ink[13 * 40 + 15] == 0);
  // Round caps: at the end point itself full ink; 2.5 px beyond it nothing.
  CHECK(ink[10 * 40 + 30] == doctest::Approx(1));
  CHECK(ink[10 * 40 + 33] == 0);
  // The same canvas region at scale 2 samples the same places twice as densely.
  const auto fine = rasterise(d, 0, 0, 2, 80, 40);
  CHECK(fine[(2 * 12 + 1) * 80 + 30] == doctest::Approx(0.25));  // sample at canvas y = 12.75
  CHECK(fine[(2 * 12) * 80 + 30] == doctest::Approx(0.75));       // and at y = 12.25
}

TEST_CASE("preprocess: a drawn digit gives the same 28x28 wherever and however large it is drawn") {
  const Digit28 a = preprocess_drawing(seven(50, 40, 3));
  const Digit28 b = preprocess_drawing(seven(600, 500, 1.3f));
  const Digit28 c = preprocess_drawing(seven(-80, 700, 0.4f));  // partly off the canvas, small
  REQUIRE_FALSE(a.empty);
  CHECK(mean_abs_diff(a.pixels.data(), b.pixels.data()) < 0.02f);
  CHECK(mean_abs_diff(a.pixels.data(), c.pixels.data()) < 0.02f);
  const Digit28 o1 = preprocess_drawing(ring(100, 300, 40, 60, 10));
  const Digit28 o2 = preprocess_drawing(ring(350, 120, 120, 180, 30));
  CHECK(diff_up_to_one_pixel(o1, o2) < 0.02f);
  // And the seven is not the zero.
  CHECK(mean_abs_diff(a.pixels.data(), o1.pixels.data()) > 0.1f);
}

TEST_CASE("preprocess: centre of mass at the centre, longer side 20 px, aspect ratio kept") {
  for (const Drawing& d : {seven(50, 40, 3), ring(200, 200, 60, 90, 14), ring(200, 200, 150, 40, 14)}) {
    const Digit28 digit = preprocess_drawing(d);
    check_centred(digit);
    const auto [w, h] = box_size(digit);
    CHECK(std::max(w, h) >= 19);
    CHECK(std::max(w, h) <= 21);
  }
  // A wide ring stays wide: 300 x 80 (plus the pen) -> about 20 x 6.
  const auto [ww, wh] = box_size(preprocess_drawing(ring(200, 200, 150, 40, 14)));
  CHECK(ww >= 19);
  CHECK(wh >= 5);
  CHECK(wh <= 8);
  // A tall thin "1" stays thin.
  const Digit28 one = preprocess_drawing(Drawing{400, 400, 10, {{{200, 50}, {205, 250}}}});
  check_centred(one);
  const auto [w1, h1] = box_size(one);
  CHECK(h1 >= 19);
  CHECK(w1 <= 4);
}

TEST_CASE("preprocess: empty drawings are flagged, a single dot is not") {
  const Digit28 none = preprocess_drawing(Drawing{100, 100, 5, {}});
  CHECK(none.empty);
  CHECK(std::all_of(none.pixels.begin(), none.pixels.end(), [](float v) { return v == 0; }));
  CHECK(preprocess_drawing(Drawing{100, 100, 5, {{}, {}}}).empty);
  const Digit28 dot = preprocess_drawing(Drawing{100, 100, 5, {{}, {{30, 40}}}});
  CHECK_FALSE(dot.empty);
  check_centred(dot);
  CHECK(dot.pixels[14 * n + 14] > 0.9f);
  // A stroke that stays on one spot is a dot too.
  const Digit28 still = preprocess_drawing(Drawing{100, 100, 5, {{{30, 40}, {30, 40}}}});
  CHECK(mean_abs_diff(dot.pixels.data(), still.pixels.data()) < 1e-6f);
  CHECK_THROWS_AS(preprocess_drawing(Drawing{100, 100, 0, {{{1, 2}}}}), Error);
  CHECK_THROWS_AS(preprocess_drawing(Drawing{100, 100, 3, {{{NAN, 2}}}}), Error);
  // Extreme but finite drawings still give a digit.
  CHECK_FALSE(preprocess_drawing(Drawing{100, 100, 3e38f, {{{-3e38f, 0}, {3e38f, 0}}}}).empty);
  CHECK_FALSE(preprocess_drawing(Drawing{100, 100, 1e-30f, {{{5, 5}}}}).empty);
  CHECK_FALSE(preprocess_drawing(Drawing{100, 100, 1e30f, {{{5, 5}, {1e6f, 7}}}}).empty);
  CHECK_FALSE(preprocess_drawing(Drawing{100, 100, 2, {{{1e30f, 0}, {1e30f, 1e30f}}}}).empty);
}

TEST_CASE("preprocess: the drawing and the grey raster of the same digit agree") {
  for (const Drawing& d : {seven(300, 200, 2.5f), ring(250, 250, 70, 110, 16)}) {
    const std::size_t w = 1000, h = 800;
    const auto canvas = rasterise(d, 0, 0, 1, w, h);
    const Digit28 from_grey = preprocess_grey(canvas.data(), w, h);
    const Digit28 from_drawing = preprocess_drawing(d);
    CHECK(diff_up_to_one_pixel(from_grey, from_drawing) < 0.02f);
  }
}

TEST_CASE("preprocess: a real MNIST digit comes back nearly unchanged, in either polarity") {
  constexpr std::size_t count = 50;
  const auto images = mnist_test_images(count);
  double total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint8_t* image = images.data() + k * n * n;
    std::vector<float> original(n * n);
    std::vector<std::uint8_t> inverted(n * n);
    for (std::size_t i = 0; i < n * n; ++i) original[i] = image[i] / 255.0f, inverted[i] = 255 - image[i];
    const Digit28 bright = preprocess_image_u8(image, n, n);
    const Digit28 dark = preprocess_image_u8(inverted.data(), n, n);
    REQUIRE_FALSE(bright.empty);
    const float diff = mean_abs_diff(bright.pixels.data(), original.data());
    CHECK(diff < 0.06f);
    total += diff;
    CHECK(mean_abs_diff(bright.pixels.data(), dark.pixels.data()) < 1e-6f);
    const Digit28 forced = preprocess_image_u8(inverted.data(), n, n, Polarity::ink_is_dark);
    CHECK(mean_abs_diff(bright.pixels.data(), forced.pixels.data()) < 1e-6f);
    // The wrong polarity makes the black background the "paper" of a black-on-black picture.
    CHECK(preprocess_image_u8(image, n, n, Polarity::ink_is_dark).empty);
  }
  MESSAGE("MNIST round trip: mean absolute difference ", total / count);
  CHECK(total / count < 0.03);
}

TEST_CASE("preprocess: blank, tiny and odd grey rasters") {
  const std::vector<std::uint8_t> paper(64 * 48, 200);
  CHECK(preprocess_image_u8(paper.data(), 64, 48).empty);
  CHECK(preprocess_image_u8(paper.data(), 0, 48).empty);
  std::vector<float> noise(30 * 30, 0.01f);
  CHECK(preprocess_grey(noise.data(), 30, 30).empty);
  noise[5] = NAN;
  CHECK(preprocess_grey(noise.data(), 30, 30).empty);
  // A 5 x 5 plus sign is enlarged (bilinear) to the 20 px box.
  std::vector<float> plus(25, 0.0f);
  for (std::size_t i = 0; i < 5; ++i) plus[2 * 5 + i] = plus[i * 5 + 2] = 1;
  plus[0] = INFINITY;  // clamped to full ink
  const Digit28 big = preprocess_grey(plus.data(), 5, 5);
  CHECK_FALSE(big.empty);
  check_centred(big);
  const auto [w, h] = box_size(big, 0.3f);
  CHECK(w >= 17);
  CHECK(h >= 17);
  // Dark ink on noisy grey paper.
  std::vector<std::uint8_t> photo(100 * 80);
  for (std::size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<std::uint8_t>(190 + (i * 7919) % 11);
  for (std::size_t y = 20; y < 60; ++y)
    for (std::size_t x = 45; x < 52; ++x) photo[y * 100 + x] = 40;
  const Digit28 bar = preprocess_image_u8(photo.data(), 100, 80);
  check_centred(bar);
  const auto [bw, bh] = box_size(bar);
  CHECK(bh >= 20);  // 20 px, straddling 21 pixels after the sub-pixel shift
  CHECK(bh <= 21);
  CHECK(bw <= 5);
  CHECK(bar.pixels[2 * n + 2] == 0);  // the paper's noise is not ink
}

TEST_CASE("preprocess: a whole-pixel shift moves every pixel and loses what leaves the field") {
  DigitPixels in{};
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = float(i + 1);  // every pixel its own value
  const DigitPixels out = shifted_pixels(in, 2, -1);                  // 2 right, 1 up
  for (std::size_t y = 0; y < n; ++y)
    for (std::size_t x = 0; x < n; ++x) {
      const bool uncovered = x < 2 || y == n - 1;
      CHECK(out[y * n + x] == (uncovered ? 0.0f : in[(y + 1) * n + x - 2]));
    }
  CHECK(shifted_pixels(in, 0, 0) == in);
  CHECK(shifted_pixels(in, int(n), 0) == DigitPixels{});  // moved off entirely
}

TEST_CASE("preprocess: normalisation") {
  Digit28 d;
  d.pixels[0] = 1;
  std::vector<float> out(n * n);
  normalize(d, 0.1307f, 0.3081f, out.data());
  CHECK(out[0] == doctest::Approx((1 - 0.1307) / 0.3081));
  CHECK(out[1] == doctest::Approx(-0.1307 / 0.3081));
  CHECK_THROWS_AS(normalize(d, 0, 0, out.data()), Error);
  CHECK_THROWS_AS(normalize(d, 0, -1, out.data()), Error);
}

TEST_CASE("preprocess: drawing JSON round trip and clear errors") {
  const Drawing d{280, 280, 18.5f, {{{1, 2}, {3.5f, -4}}, {}, {{100, 200}}}};
  const std::string text = drawing_to_json(d);
  const Drawing back = drawing_from_json(text);
  CHECK(back.width == 280);
  CHECK(back.height == 280);
  CHECK(back.pen_width == 18.5f);
  REQUIRE(back.strokes.size() == 3);
  CHECK(back.strokes[0].size() == 2);
  CHECK(back.strokes[0][1].x == 3.5f);
  CHECK(back.strokes[0][1].y == -4);
  CHECK(back.strokes[1].empty());
  CHECK(back.strokes[2][0].y == 200);
  const auto list = drawings_from_json("[" + text + "," + text + "]");
  CHECK(list.size() == 2);
  CHECK(drawings_from_json(text).size() == 1);

  CHECK(json_error("{") == "d.json is not valid JSON");
  CHECK(json_error("3") == "d.json must be an object {\"width\", \"height\", \"penWidth\", \"strokes\"}");
  CHECK(json_error(R"({"height": 1, "penWidth": 1, "strokes": []})") == "d.json has no \"width\" field");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 1})") == "d.json has no \"strokes\" field");
  CHECK(json_error(R"({"width": "1", "height": 1, "penWidth": 1, "strokes": []})") == "d.json: \"width\" must be a number");
  CHECK(json_error(R"({"width": -1, "height": 1, "penWidth": 1, "strokes": []})") ==
        "d.json: width and height must be finite numbers >= 0");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 0, "strokes": []})") ==
        "d.json: penWidth must be a finite number > 0");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": {}})") == "d.json: \"strokes\" must be a list of strokes");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [3]})") ==
        "d.json: stroke 0 must be a list of [x, y] points");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [[], [[1, 2], [3]]]})") ==
        "d.json: stroke 1, point 1 must be a pair of numbers [x, y]");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [[[1, "2"]]]})") ==
        "d.json: stroke 0, point 0 must be a pair of numbers [x, y]");
  CHECK(json_error(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [[[1, 1e300]]]})") ==
        "d.json: stroke 0, point 0 is not a pair of finite numbers");
  CHECK(json_error("[" + text + ", 5]") ==
        "d.json: drawing 1 must be an object {\"width\", \"height\", \"penWidth\", \"strokes\"}");
}
