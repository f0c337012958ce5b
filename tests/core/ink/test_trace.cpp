// The stroke tracer (core/ink/trace.hpp) on shapes whose right answer is known (a bar, a ring, a cross,
// a T, an L) and on real MNIST test digits: the strokes stay inside the digit's ink and, redrawn
// with the traced pen, cover it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/ink/trace.hpp"

using namespace lenet;

namespace {

constexpr std::size_t side = 28;

struct Segment {
  float x0, y0, x1, y1;
};

float distance_to_segment(float px, float py, const Segment& s) {
  const float ex = s.x1 - s.x0, ey = s.y1 - s.y0, len2 = ex * ex + ey * ey;
  const float t = len2 > 0 ? std::clamp(((px - s.x0) * ex + (py - s.y0) * ey) / len2, 0.0f, 1.0f) : 0.0f;
  return std::hypot(px - s.x0 - t * ex, py - s.y0 - t * ey);
}

// A 28x28 grey image of round-pen segments (image coordinates, pixel (i, j) centred on
// (i + 0.5, j + 0.5)) of width `pen`, anti-aliased over one pixel like MNIST.
std::vector<std::uint8_t> paint(const std::vector<Segment>& segments, float pen) {
  std::vector<std::uint8_t> image(side * side);
  for (std::size_t j = 0; j < side; ++j)
    for (std::size_t i = 0; i < side; ++i) {
      float d = INFINITY;
      for (const Segment& s : segments) d = std::min(d, distance_to_segment(float(i) + 0.5f, float(j) + 0.5f, s));
      image[j * side + i] = std::uint8_t(std::lround(255 * std::clamp(pen / 2 + 0.5f - d, 0.0f, 1.0f)));
    }
  return image;
}

std::vector<Segment> ring_segments(float cx, float cy, float r) {
  std::vector<Segment> out;
  const auto at = [&](int k, bool y) {
    const float a = float(k) * 3.14159265f / 32;
    return y ? cy + r * std::sin(a) : cx + r * std::cos(a);
  };
  for (int k = 0; k < 64; ++k) out.push_back({at(k, false), at(k, true), at(k + 1, false), at(k + 1, true)});
  return out;
}

// The strokes as segments (a one-point stroke is a dot).
std::vector<Segment> segments_of(const std::vector<Stroke>& strokes) {
  std::vector<Segment> out;
  for (const Stroke& s : strokes)
    for (std::size_t k = 0; k < s.size(); ++k) {
      const Point a = s[k == 0 ? 0 : k - 1], b = s[k];
      out.push_back({a.x, a.y, b.x, b.y});
    }
  return out;
}

// Intersection over union of the traced strokes redrawn with their pen and the image's ink (>= 128).
float overlap_with_image(const std::uint8_t* image, const TracedDigit& traced) {
  const std::vector<Segment> segments = segments_of(traced.strokes);
  std::size_t both = 0, either = 0;
  for (std::size_t j = 0; j < side; ++j)
    for (std::size_t i = 0; i < side; ++i) {
      float d = INFINITY;
      for (const Segment& s : segments) d = std::min(d, distance_to_segment(float(i) + 0.5f, float(j) + 0.5f, s));
      const bool drawn = d <= traced.thickness / 2, ink = image[j * side + i] >= 128;
      both += drawn && ink;
      either += drawn || ink;
    }
  return either ? float(both) / float(either) : 0.0f;
}

// The grey level of the image at a point between pixel centres (bilinear).
float grey_at(const std::uint8_t* image, float x, float y) {
  const float u = x - 0.5f, v = y - 0.5f;
  const int i = int(std::floor(u)), j = int(std::floor(v));
  const float fx = u - float(i), fy = v - float(j);
  const auto at = [&](int a, int b) {
    return float(image[std::size_t(std::clamp(b, 0, int(side) - 1)) * side + std::size_t(std::clamp(a, 0, int(side) - 1))]);
  };
  return (1 - fy) * ((1 - fx) * at(i, j) + fx * at(i + 1, j)) + fy * ((1 - fx) * at(i, j + 1) + fx * at(i + 1, j + 1));
}

Dataset mnist_test() {
  return load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
}

}  // namespace

TEST_CASE("trace: an empty image and a lone speck give no strokes") {
  std::vector<std::uint8_t> image(side * side, 0);
  CHECK(trace_digit(image.data(), side).strokes.empty());
  image[14 * side + 14] = 255;
  const TracedDigit speck = trace_digit(image.data(), side);
  CHECK(speck.strokes.empty());
  CHECK(speck.thickness == 0);
}

TEST_CASE("trace: a vertical bar is one stroke along its centre, with the bar's width as pen") {
  const auto image = paint({{14, 5, 14, 23}}, 3);
  const TracedDigit traced = trace_digit(image.data(), side);
  REQUIRE(traced.strokes.size() == 1);
  float top = INFINITY, bottom = -INFINITY;
  for (const Point& p : traced.strokes[0]) {
    CHECK(std::abs(p.x - 14) < 0.5f);
    top = std::min(top, p.y), bottom = std::max(bottom, p.y);
  }
  CHECK(top < 6.5f);
  CHECK(bottom > 21.5f);
  CHECK(std::abs(traced.thickness - 3) < 0.6f);
}

TEST_CASE("trace: a ring is one closed stroke that stays on the ring") {
  const auto image = paint(ring_segments(14, 14, 7), 2.5f);
  const TracedDigit traced = trace_digit(image.data(), side);
  REQUIRE(traced.strokes.size() == 1);
  const Stroke& ring = traced.strokes[0];
  CHECK(ring.size() >= 8);
  CHECK(std::hypot(ring.front().x - ring.back().x, ring.front().y - ring.back().y) < 1e-5f);
  for (const Point& p : ring) CHECK(std::abs(std::hypot(p.x - 14, p.y - 14) - 7) < 0.6f);
}

TEST_CASE("trace: a hand-drawn cross is two strokes that run on through the crossing") {
  // Slightly tilted, so that thinning splits the crossing into two junctions and a short bridge.
  const auto image = paint({{6, 13, 22, 16}, {13, 6, 15, 22}}, 2.5f);
  const TracedDigit traced = trace_digit(image.data(), side);
  REQUIRE(traced.strokes.size() == 2);
  for (const Stroke& s : traced.strokes)
    CHECK(std::hypot(s.back().x - s.front().x, s.back().y - s.front().y) > 13);
}

TEST_CASE("trace: a bump on the side of a bar is no stroke of its own") {
  auto image = paint({{14, 5, 14, 23}}, 3);
  const auto bump = paint({{16.5f, 14, 16.5f, 14}}, 2.5f);
  for (std::size_t k = 0; k < image.size(); ++k) image[k] = std::max(image[k], bump[k]);
  CHECK(trace_digit(image.data(), side).strokes.size() == 1);
}

TEST_CASE("trace: a T keeps its short arms: two strokes, the bar and the stem") {
  std::vector<std::uint8_t> image(side * side, 0);
  const auto fill = [&](std::size_t x0, std::size_t y0, std::size_t x1, std::size_t y1) {
    for (std::size_t y = y0; y < y1; ++y)
      for (std::size_t x = x0; x < x1; ++x) image[y * side + x] = 255;
  };
  fill(6, 5, 22, 10);   // bar, 5 px thick, arms 6 px beyond the stem
  fill(12, 5, 16, 23);  // stem, 4 px thick
  const TracedDigit traced = trace_digit(image.data(), side);
  REQUIRE(traced.strokes.size() == 2);
  float left = INFINITY, right = -INFINITY;
  for (const Stroke& s : traced.strokes)
    for (const Point& p : s) left = std::min(left, p.x), right = std::max(right, p.x);
  CHECK(left - traced.thickness / 2 < 7);  // the pen's ink reaches past the points
  CHECK(right + traced.thickness / 2 > 21);
}

TEST_CASE("trace: a thick L is one stroke with one corner") {
  const auto image = paint({{9, 5, 9, 21}, {9, 21, 20, 21}}, 4);
  const TracedDigit traced = trace_digit(image.data(), side);
  REQUIRE(traced.strokes.size() == 1);
  CHECK(simplify_polyline(traced.strokes[0], 0.6f).size() == 3);  // two legs and a corner
}

TEST_CASE("trace: Ramer-Douglas-Peucker drops points on a straight line and keeps a corner") {
  Stroke line;
  for (int k = 0; k < 10; ++k) line.push_back({float(k), float(2 * k)});
  const Stroke straight = simplify_polyline(line, 0.1f);
  REQUIRE(straight.size() == 2);
  CHECK((straight[0].x == 0 && straight[1].x == 9));
  const Stroke corner = simplify_polyline({{0, 0}, {5, 0.05f}, {10, 0}, {10, 10}}, 0.1f);
  REQUIRE(corner.size() == 3);
  CHECK((corner[1].x == 10 && corner[1].y == 0));
}

TEST_CASE("trace: the first 200 MNIST test digits' strokes lie inside their ink and redraw their images") {
  const Dataset test = mnist_test();
  double overlap_sum = 0;
  float lowest = 1;
  for (std::size_t i = 0; i < 200; ++i) {
    CAPTURE(i);
    const std::uint8_t* image = test.image(i);
    const TracedDigit traced = trace_digit(image, side);
    REQUIRE(!traced.strokes.empty());
    CHECK(traced.strokes.size() <= 6);
    CHECK(traced.thickness >= 1);
    CHECK(traced.thickness < 8);
    // Every point of a stroke, and the middle of every segment, lies on ink (the grey level there
    // is at least a quarter of full ink): the centre line never leaves the digit.
    for (const Segment& s : segments_of(traced.strokes)) {
      CHECK(grey_at(image, s.x1, s.y1) >= 64);
      CHECK(grey_at(image, 0.5f * (s.x0 + s.x1), 0.5f * (s.y0 + s.y1)) >= 64);
    }
    const float overlap = overlap_with_image(image, traced);
    CHECK(overlap > 0.5f);
    overlap_sum += overlap;
    lowest = std::min(lowest, overlap);
  }
  MESSAGE("IoU of redrawn strokes and image: mean " << overlap_sum / 200 << ", lowest " << lowest);
  CHECK(overlap_sum / 200 > 0.7);
}

TEST_CASE("trace: tracing is a pure function of the image") {
  const Dataset test = mnist_test();
  const TracedDigit a = trace_digit(test.image(1234), side), b = trace_digit(test.image(1234), side);
  REQUIRE(a.strokes.size() == b.strokes.size());
  for (std::size_t s = 0; s < a.strokes.size(); ++s) {
    REQUIRE(a.strokes[s].size() == b.strokes[s].size());
    for (std::size_t k = 0; k < a.strokes[s].size(); ++k)
      CHECK((a.strokes[s][k].x == b.strokes[s][k].x && a.strokes[s][k].y == b.strokes[s][k].y));
  }
  CHECK(a.thickness == b.thickness);
}

TEST_CASE("trace: placed on a canvas, the ink's longer side fills the asked share, centred, the pen scaled alike") {
  const std::vector<Stroke> strokes = {{{2, 4}, {2, 14}}, {{0, 4}, {4, 4}}};  // 4 wide, 10 high
  const Drawing d = place_on_canvas(strokes, 2, 280, 0.6f);  // ink side 10 + 2 = 12 -> 168 px
  CHECK(d.width == 280);
  CHECK(d.height == 280);
  CHECK(d.pen_width == doctest::Approx(28));
  CHECK(d.strokes[0][0].y == doctest::Approx(140 - 5 * 14));
  CHECK(d.strokes[0][1].y == doctest::Approx(140 + 5 * 14));
  CHECK(d.strokes[1][0].x == doctest::Approx(140 - 2 * 14));
  CHECK(place_on_canvas({}, 2, 280, 0.6f).strokes.empty());
}
