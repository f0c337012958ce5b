#include "core/ink/preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/base/error.hpp"
#include "core/ink/rasterise.hpp"

namespace lenet {

namespace {

// Pixels with at least this much ink make the bounding box; a raster with none is empty.
constexpr float box_ink = 0.05f;
constexpr float supersampling = 3;  // drawings are rasterised at 3x the 20 px box, then averaged
constexpr int side = static_cast<int>(digit_side);

float ink_of(float v) { return v > 0 ? std::min(v, 1.0f) : 0.0f; }  // NaN -> 0

// The source pixels (and weights) that make each of the 28 output pixels along one axis. The axis
// maps source coordinate u (pixel x covers [x, x + 1)) to output coordinate (u - origin) * scale +
// offset. Only source pixels in [lo, hi) (the ink's bounding box) contribute.
struct Taps {
  std::array<std::size_t, digit_side> first{}, offset{}, count{};
  std::vector<float> weights;

  Taps(double origin, double shift, double scale, std::size_t lo, std::size_t hi) {
    for (int o = 0; o < side; ++o) {
      offset[o] = weights.size();
      if (scale <= 1) {
        // Shrinking: area average over the output pixel's footprint [a, b) in the source.
        const double a = origin + (o - shift) / scale, b = origin + (o + 1 - shift) / scale;
        const double x0 = std::max(std::floor(a), static_cast<double>(lo));
        const double x1 = std::min(std::ceil(b), static_cast<double>(hi));
        if (x0 >= x1) continue;
        first[o] = static_cast<std::size_t>(x0);
        for (double x = x0; x < x1; ++x)
          weights.push_back(static_cast<float>((std::min(b, x + 1) - std::max(a, x)) * scale));
      } else {
        // Enlarging: bilinear between the two source pixel centres around the output pixel's centre.
        const double u = origin + (o + 0.5 - shift) / scale - 0.5;
        const double x = std::floor(u), f = u - x;
        const double x0 = std::max(x, static_cast<double>(lo));
        const double x1 = std::min(x + 2, static_cast<double>(hi));
        if (x0 >= x1) continue;
        first[o] = static_cast<std::size_t>(x0);
        for (double k = x0; k < x1; ++k) weights.push_back(static_cast<float>(k == x ? 1 - f : f));
      }
      count[o] = weights.size() - offset[o];
    }
  }
};

}  // namespace

DigitPixels shifted_pixels(const DigitPixels& in, int dx, int dy) {
  DigitPixels out{};
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const int sx = x - dx, sy = y - dy;
      if (sx >= 0 && sx < side && sy >= 0 && sy < side)
        out[static_cast<std::size_t>(y * side + x)] = in[static_cast<std::size_t>(sy * side + sx)];
    }
  return out;
}

Digit28 preprocess_grey(const float* grey, std::size_t width, std::size_t height) {
  Digit28 digit;
  if (grey == nullptr || width == 0 || height == 0) return digit;

  // The ink's bounding box [x0, x1) x [y0, y1); none means no pixel reaches the empty level.
  std::size_t x0 = width, x1 = 0, y0 = height, y1 = 0;
  for (std::size_t y = 0; y < height; ++y) {
    const float* row = grey + y * width;
    std::size_t first = 0, last = width;
    while (first < width && !(row[first] >= box_ink)) ++first;
    if (first == width) continue;
    while (!(row[last - 1] >= box_ink)) --last;
    x0 = std::min(x0, first), x1 = std::max(x1, last);
    y0 = std::min(y0, y), y1 = y + 1;
  }
  if (x0 >= x1) return digit;

  // Like MNIST: the box's longer side becomes the 20 px box [4, 24) of the 28 px field, exactly
  // aligned with its pixels; the shorter side is centred in it.
  const std::size_t box_w = x1 - x0, box_h = y1 - y0;
  const double scale = static_cast<double>(digit_box) / static_cast<double>(std::max(box_w, box_h));
  const double margin = 0.5 * static_cast<double>(digit_side - digit_box);
  auto shift = [&](std::size_t length) { return margin + 0.5 * (digit_box - static_cast<double>(length) * scale); };
  const Taps cols(static_cast<double>(x0), shift(box_w), scale, x0, x1);
  const Taps rows(static_cast<double>(y0), shift(box_h), scale, y0, y1);

  // Separable resampling: the box's rows to 28 columns, then those to 28 rows.
  std::vector<float> across(box_h * digit_side, 0.0f);
  for (std::size_t y = y0; y < y1; ++y) {
    const float* src = grey + y * width;
    float* dst = across.data() + (y - y0) * digit_side;
    for (std::size_t o = 0; o < digit_side; ++o) {
      float sum = 0;
      for (std::size_t k = 0; k < cols.count[o]; ++k) sum += cols.weights[cols.offset[o] + k] * ink_of(src[cols.first[o] + k]);
      dst[o] = sum;
    }
  }
  DigitPixels boxed{};
  double mass = 0, mx = 0, my = 0;
  for (std::size_t o = 0; o < digit_side; ++o) {
    float* dst = boxed.data() + o * digit_side;
    for (std::size_t k = 0; k < rows.count[o]; ++k) {
      const float w = rows.weights[rows.offset[o] + k];
      const float* src = across.data() + (rows.first[o] + k - y0) * digit_side;
      for (std::size_t i = 0; i < digit_side; ++i) dst[i] += w * src[i];
    }
    for (std::size_t i = 0; i < digit_side; ++i) {
      dst[i] = std::clamp(dst[i], 0.0f, 1.0f);
      mass += dst[i], mx += dst[i] * static_cast<double>(i), my += dst[i] * static_cast<double>(o);
    }
  }
  if (!(mass > 0)) return digit;

  // Then, like MNIST, a whole-pixel shift puts the centre of mass on pixel (14, 14) (within half a
  // pixel, no blur); ink shifted past the border is lost.
  const auto dx = static_cast<int>(std::lround(digit_centre - mx / mass));
  const auto dy = static_cast<int>(std::lround(digit_centre - my / mass));
  digit.pixels = shifted_pixels(boxed, dx, dy);
  digit.empty = false;
  return digit;
}

Digit28 preprocess_drawing(const Drawing& drawing) {
  check_drawing(drawing);
  float lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY;
  for (const auto& stroke : drawing.strokes)
    for (const Point& p : stroke) {
      lo_x = std::min(lo_x, p.x), hi_x = std::max(hi_x, p.x);
      lo_y = std::min(lo_y, p.y), hi_y = std::max(hi_y, p.y);
    }
  if (lo_x > hi_x) return {};  // no points at all

  // Rasterise just the ink's box (the points' box grown by the pen's radius and by the smoothed edge,
  // see rasterise) at about `supersampling` x 20 px on its longer side; preprocess_grey then finds
  // the ink's box in it and area-averages that down to 20 px. With the edge (one canvas or one raster
  // pixel) counted as one more canvas pixel in the scale, the whole edge fits in n + 1 raster pixels.
  const double w0 = static_cast<double>(hi_x) - lo_x + drawing.pen_width;
  const double h0 = static_cast<double>(hi_y) - lo_y + drawing.pen_width;
  const double n = supersampling * digit_box;
  const double scale = n / (std::max(w0, h0) + 1);
  // Finite float coordinates span at most ~7e38 pixels, so the scale stays a positive float.
  const double edge = std::max(1.0, 1.0 / scale);
  const double x0 = lo_x - 0.5 * (drawing.pen_width + edge), y0 = lo_y - 0.5 * (drawing.pen_width + edge);
  const auto width = static_cast<std::size_t>(std::clamp(std::ceil((w0 + edge) * scale), 1.0, n + 1));
  const auto height = static_cast<std::size_t>(std::clamp(std::ceil((h0 + edge) * scale), 1.0, n + 1));
  const std::vector<float> ink = rasterise(drawing, x0, y0, static_cast<float>(scale), width, height);
  return preprocess_grey(ink.data(), width, height);
}

Digit28 preprocess_image_u8(const std::uint8_t* grey, std::size_t width, std::size_t height, Polarity polarity) {
  if (grey == nullptr || width == 0 || height == 0) return {};

  // The border tells the background: its median is the paper's level and its spread the noise.
  std::vector<std::uint8_t> border;
  for (std::size_t x = 0; x < width; ++x) border.push_back(grey[x]), border.push_back(grey[(height - 1) * width + x]);
  for (std::size_t y = 1; y + 1 < height; ++y) border.push_back(grey[y * width]), border.push_back(grey[y * width + width - 1]);
  auto percentile = [&border](double q) {
    auto nth = border.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(border.size() - 1));
    std::nth_element(border.begin(), nth, border.end());
    return static_cast<float>(*nth);
  };
  if (polarity == Polarity::automatic)
    polarity = percentile(0.5) > 127.5f ? Polarity::ink_is_dark : Polarity::ink_is_bright;
  const bool dark = polarity == Polarity::ink_is_dark;
  if (dark)
    for (auto& v : border) v = static_cast<std::uint8_t>(255 - v);

  // In "ink" units (larger = more ink): background ceiling = median + 4 x (median - lower quartile),
  // about 2.7 standard deviations of Gaussian noise above the paper.
  const float median = percentile(0.5), quartile = percentile(0.25);
  const float background = median + 4 * (median - quartile);
  std::vector<float> ink(width * height);
  float peak = 0;
  for (std::size_t i = 0; i < ink.size(); ++i) {
    ink[i] = dark ? 255.0f - grey[i] : grey[i];
    peak = std::max(peak, ink[i]);
  }
  if (peak - background < box_ink * 255) return {};  // no contrast: a blank page
  const float stretch = 1 / (peak - background);
  for (float& v : ink) v = std::clamp((v - background) * stretch, 0.0f, 1.0f);
  return preprocess_grey(ink.data(), width, height);
}

void normalize(const Digit28& digit, float mean, float std, float* out784) {
  if (!std::isfinite(mean) || !std::isfinite(std) || !(std > 0))
    throw Error("normalisation: mean must be finite and std a finite number > 0 (got mean " + std::to_string(mean) +
                ", std " + std::to_string(std) + ")");
  const float inv = 1 / std;
  for (std::size_t i = 0; i < digit.pixels.size(); ++i) out784[i] = (digit.pixels[i] - mean) * inv;
}

}  // namespace lenet
