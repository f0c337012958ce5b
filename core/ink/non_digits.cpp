#include "core/ink/non_digits.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/ink/style_proxy.hpp"

namespace lenet {

namespace {

using Strokes = std::vector<std::vector<Point>>;

constexpr std::array<NonDigitKind, 21> kinds = {
    NonDigitKind::cross,    NonDigitKind::tap,      NonDigitKind::tiny_stroke, NonDigitKind::long_bar,
    NonDigitKind::letter_a, NonDigitKind::letter_e, NonDigitKind::letter_f,    NonDigitKind::letter_h,
    NonDigitKind::letter_k, NonDigitKind::letter_m, NonDigitKind::letter_n,    NonDigitKind::letter_r,
    NonDigitKind::letter_w, NonDigitKind::letter_y, NonDigitKind::small_k,     NonDigitKind::small_m,
    NonDigitKind::small_w,  NonDigitKind::hash,     NonDigitKind::smiley,      NonDigitKind::scribble,
    NonDigitKind::blob,
};
constexpr std::array<const char*, 21> names = {"cross", "tap", "tiny stroke", "long bar", "A", "E", "F", "H", "K",
                                               "M", "N", "R", "W", "Y", "k", "m", "w", "#", "smiley", "scribble", "blob"};

constexpr float pi = 3.14159265358979f;

// Points on an ellipse arc in the unit box: centre (cx, cy), radii (rx, ry), angles in degrees
// (0 = right, 90 = down, as y grows downwards).
std::vector<Point> arc(float cx, float cy, float rx, float ry, float from, float to, int points) {
  std::vector<Point> out;
  for (int i = 0; i < points; ++i) {
    const float a = (from + (to - from) * float(i) / float(points - 1)) * pi / 180;
    out.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
  }
  return out;
}

// The shape's strokes in the unit box [0, 1]^2, y down.
Strokes unit_shape(NonDigitKind kind, Rng& rng) {
  switch (kind) {
    case NonDigitKind::cross: return {{{0, 0}, {1, 1}}, {{1, 0}, {0, 1}}};
    case NonDigitKind::letter_a: return {{{0, 1}, {0.5f, 0}, {1, 1}}, {{0.22f, 0.6f}, {0.78f, 0.6f}}};
    case NonDigitKind::letter_e: return {{{1, 0}, {0, 0}, {0, 1}, {1, 1}}, {{0, 0.5f}, {0.8f, 0.5f}}};
    case NonDigitKind::letter_f: return {{{1, 0}, {0, 0}, {0, 1}}, {{0, 0.48f}, {0.75f, 0.48f}}};
    case NonDigitKind::letter_h: return {{{0, 0}, {0, 1}}, {{1, 0}, {1, 1}}, {{0, 0.5f}, {1, 0.5f}}};
    case NonDigitKind::letter_k: return {{{0, 0}, {0, 1}}, {{1, 0}, {0, 0.55f}, {1, 1}}};
    case NonDigitKind::letter_m: return {{{0, 1}, {0, 0}, {0.5f, 0.6f}, {1, 0}, {1, 1}}};
    case NonDigitKind::letter_n: return {{{0, 1}, {0, 0}, {1, 1}, {1, 0}}};
    case NonDigitKind::letter_r:
      return {{{0, 1}, {0, 0}, {0.65f, 0}, {0.95f, 0.12f}, {0.95f, 0.38f}, {0.65f, 0.5f}, {0, 0.5f}},
              {{0.4f, 0.5f}, {1, 1}}};
    case NonDigitKind::letter_w: return {{{0, 0}, {0.25f, 1}, {0.5f, 0.3f}, {0.75f, 1}, {1, 0}}};
    case NonDigitKind::letter_y: return {{{0, 0}, {0.5f, 0.5f}, {1, 0}}, {{0.5f, 0.5f}, {0.5f, 1}}};
    case NonDigitKind::small_k: return {{{0, 0}, {0, 1}}, {{0.9f, 0.4f}, {0.05f, 0.72f}, {1, 1}}};
    case NonDigitKind::small_m: {
      Strokes s = {{{0, 0.05f}, {0, 1}}};
      std::vector<Point> arches = arc(0.25f, 0.3f, 0.25f, 0.28f, 180, 360, 8);
      for (Point p : arc(0.75f, 0.3f, 0.25f, 0.28f, 180, 360, 8)) arches.push_back(p);
      arches.insert(arches.begin() + 8, Point{0.5f, 1});
      arches.push_back({1, 1});
      s.push_back(arches);
      return s;
    }
    case NonDigitKind::small_w: return {{{0, 0}, {0.22f, 1}, {0.5f, 0.15f}, {0.78f, 1}, {1, 0}}};
    case NonDigitKind::hash:
      return {{{0.38f, 0}, {0.28f, 1}}, {{0.75f, 0}, {0.65f, 1}}, {{0, 0.33f}, {1, 0.33f}}, {{0, 0.67f}, {1, 0.67f}}};
    case NonDigitKind::smiley:
      return {arc(0.5f, 0.5f, 0.5f, 0.5f, 0, 360, 28), {{0.34f, 0.34f}}, {{0.66f, 0.34f}},
              arc(0.5f, 0.5f, 0.27f, 0.27f, 20, 160, 10)};
    case NonDigitKind::scribble: {
      std::vector<Point> s(6 + rng.below(10));
      for (Point& p : s) p = {rng.uniform(), rng.uniform()};
      return {s};
    }
    case NonDigitKind::blob: {
      // A spiral wound tighter than the pen: filled ink, as when someone colours a patch in.
      std::vector<Point> s;
      const float turns = 6;
      for (int i = 0; i <= 120; ++i) {
        const float t = float(i) / 120, a = 2 * pi * turns * t;
        s.push_back({0.5f + 0.5f * t * std::cos(a), 0.5f + 0.5f * t * std::sin(a)});
      }
      return {s};
    }
    default: return {};  // tap, tiny stroke and long bar are placed in canvas pixels directly
  }
}

// Width / height of each shape's box, and the height as a share of the canvas.
struct Shape {
  float aspect_lo, aspect_hi, size_lo, size_hi;
};

Shape shape_of(NonDigitKind kind) {
  switch (kind) {
    case NonDigitKind::small_k: return {0.5f, 0.8f, 0.35f, 0.8f};
    case NonDigitKind::small_m: return {1.2f, 1.8f, 0.25f, 0.6f};
    case NonDigitKind::small_w: return {1.1f, 1.6f, 0.25f, 0.6f};
    case NonDigitKind::letter_m:
    case NonDigitKind::letter_w: return {0.9f, 1.4f, 0.35f, 0.8f};
    case NonDigitKind::blob: return {0.8f, 1.25f, 0.12f, 0.4f};
    case NonDigitKind::scribble: return {0.6f, 1.6f, 0.3f, 0.8f};
    case NonDigitKind::smiley: return {0.85f, 1.15f, 0.35f, 0.85f};
    default: return {0.6f, 1.1f, 0.35f, 0.8f};
  }
}

// The unit shape at a random size, aspect, slant, rotation and place on the canvas, each point
// jittered as a hand wobbles.
Strokes place_shape(const Strokes& unit, const Shape& shape, Rng& rng) {
  const float h = shape.size_lo + (shape.size_hi - shape.size_lo) * rng.uniform();
  const float height = h * page_canvas, width = height * rng.uniform(shape.aspect_lo, shape.aspect_hi);
  const float slant = rng.uniform(-0.25f, 0.25f), turn = rng.uniform(-12.0f, 12.0f) * pi / 180;
  const float jitter = 0.025f * height;
  const float reach = 0.5f * std::hypot(width, height) + page_pen;
  const float cx = page_canvas / 2 + rng.uniform(-1, 1) * std::max(0.0f, page_canvas / 2 - reach);
  const float cy = page_canvas / 2 + rng.uniform(-1, 1) * std::max(0.0f, page_canvas / 2 - reach);
  const float c = std::cos(turn), s = std::sin(turn);
  Strokes out;
  for (const auto& stroke : unit) {
    std::vector<Point>& o = out.emplace_back();
    for (Point p : stroke) {
      float x = (p.x - 0.5f) * width, y = (p.y - 0.5f) * height;
      x -= slant * y;
      const float jx = jitter * rng.normal(), jy = jitter * rng.normal();
      o.push_back({cx + c * x - s * y + jx, cy + s * x + c * y + jy});
    }
  }
  return out;
}

// A tap, a tiny stroke or a bar: a few canvas pixels placed directly.
Strokes small_mark(NonDigitKind kind, Rng& rng) {
  const float x = rng.uniform(30, page_canvas - 30), y = rng.uniform(30, page_canvas - 30);
  if (kind == NonDigitKind::tap) {
    if (rng.uniform() < 0.5f) return {{{x, y}}};
    return {{{x, y}, {x + rng.uniform(-2, 2), y + rng.uniform(-2, 2)}}};
  }
  if (kind == NonDigitKind::tiny_stroke) {
    const float length = rng.uniform(4, 24), a = rng.uniform(0, 2 * pi);
    return {{{x, y}, {x + length * std::cos(a) / 2, y + length * std::sin(a) / 2}, {x + length * std::cos(a), y + length * std::sin(a)}}};
  }
  // A bar across most of the pad, nearly level.
  const float x0 = rng.uniform(0.03f, 0.15f) * page_canvas, x1 = rng.uniform(0.85f, 0.97f) * page_canvas;
  const float yb = rng.uniform(0.25f, 0.75f) * page_canvas, tilt = std::tan(rng.uniform(-6.0f, 6.0f) * pi / 180);
  std::vector<Point> bar;
  for (int i = 0; i <= 6; ++i) {
    const float xi = x0 + (x1 - x0) * float(i) / 6;
    bar.push_back({xi, yb + tilt * (xi - x0) + rng.normal()});
  }
  return {bar};
}

}  // namespace

std::span<const NonDigitKind> all_non_digit_kinds() { return kinds; }

const char* non_digit_name(NonDigitKind kind) { return names.at(static_cast<std::size_t>(kind)); }

Drawing draw_non_digit(NonDigitKind kind, Rng& rng) {
  Drawing d{page_canvas, page_canvas, page_pen, {}};
  if (kind == NonDigitKind::tap || kind == NonDigitKind::tiny_stroke || kind == NonDigitKind::long_bar)
    d.strokes = small_mark(kind, rng);
  else
    d.strokes = place_shape(unit_shape(kind, rng), shape_of(kind), rng);
  return d;
}

NonDigitKind non_digit_sample_kind(std::size_t index) { return kinds[index % kinds.size()]; }

Drawing non_digit_sample(std::uint64_t seed, std::size_t index) {
  Rng rng(seed * 0x9e3779b97f4a7c15ULL + index);
  return draw_non_digit(non_digit_sample_kind(index), rng);
}

}  // namespace lenet
