#include "core/ink/augment.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/ink/binary_image.hpp"

namespace lenet {

namespace {

// Pixel (r, c) of a rows x cols image, 0 (no ink) outside it.
float ink_at(const std::vector<float>& img, std::size_t rows, std::size_t cols, std::ptrdiff_t r, std::ptrdiff_t c) {
  if (r < 0 || c < 0 || r >= std::ptrdiff_t(rows) || c >= std::ptrdiff_t(cols)) return 0.0f;
  return img[std::size_t(r) * cols + std::size_t(c)];
}

// Grey-level dilation (take the max) or erosion (the min) over a 3x3 cross, blended into the
// image with weight w: a continuous change of stroke thickness by up to about one pixel.
void change_thickness(std::vector<float>& img, std::size_t rows, std::size_t cols, bool thicken, float w) {
  std::vector<float> morph(img.size());
  auto at = [&](std::ptrdiff_t r, std::ptrdiff_t c) { return ink_at(img, rows, cols, r, c); };
  for (std::ptrdiff_t r = 0; r < std::ptrdiff_t(rows); ++r)
    for (std::ptrdiff_t c = 0; c < std::ptrdiff_t(cols); ++c) {
      const float n[5] = {at(r, c), at(r - 1, c), at(r + 1, c), at(r, c - 1), at(r, c + 1)};
      morph[std::size_t(r) * cols + std::size_t(c)] = thicken ? *std::max_element(n, n + 5) : *std::min_element(n, n + 5);
    }
  for (std::size_t i = 0; i < img.size(); ++i) img[i] += w * (morph[i] - img[i]);
}

// One component of a displacement field: uniform noise in [-1, 1], smoothed by a Gaussian of
// width sigma (zero outside the image, as Simard et al. did) and scaled by alpha.
std::vector<float> displacement_field(std::size_t rows, std::size_t cols, float alpha, float sigma, Rng& rng) {
  std::vector<float> noise(rows * cols);
  for (float& v : noise) v = rng.uniform(-1.0f, 1.0f);
  const std::ptrdiff_t radius = std::max<std::ptrdiff_t>(1, std::ptrdiff_t(std::ceil(3.0f * sigma)));
  std::vector<float> kernel(std::size_t(2 * radius + 1));
  float sum = 0;
  for (std::ptrdiff_t i = -radius; i <= radius; ++i) sum += kernel[std::size_t(i + radius)] = std::exp(-0.5f * float(i * i) / (sigma * sigma));
  for (float& k : kernel) k /= sum;
  auto blur = [&](const std::vector<float>& in, bool along_rows) {
    std::vector<float> out(in.size(), 0.0f);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) {
        float acc = 0;
        for (std::ptrdiff_t i = -radius; i <= radius; ++i) {
          const std::ptrdiff_t rr = std::ptrdiff_t(r) + (along_rows ? 0 : i), cc = std::ptrdiff_t(c) + (along_rows ? i : 0);
          acc += kernel[std::size_t(i + radius)] * ink_at(in, rows, cols, rr, cc);
        }
        out[r * cols + c] = acc;
      }
    return out;
  };
  std::vector<float> field = blur(blur(noise, true), false);
  for (float& v : field) v *= alpha;
  return field;
}

float bilinear(const std::vector<float>& img, std::size_t rows, std::size_t cols, float x, float y) {
  const float fx = std::floor(x), fy = std::floor(y);
  const std::ptrdiff_t x0 = std::ptrdiff_t(fx), y0 = std::ptrdiff_t(fy);
  const float ax = x - fx, ay = y - fy;
  auto at = [&](std::ptrdiff_t r, std::ptrdiff_t c) { return ink_at(img, rows, cols, r, c); };
  return (1 - ay) * ((1 - ax) * at(y0, x0) + ax * at(y0, x0 + 1)) + ay * ((1 - ax) * at(y0 + 1, x0) + ax * at(y0 + 1, x0 + 1));
}

// One random variant of `ink` into out (which must not alias it).
void random_variant(const float* ink, std::size_t rows, std::size_t cols, const AugmentConfig& config, Rng& rng,
                    float* out) {
  std::vector<float> src(ink, ink + rows * cols);

  // Draw every random number in a fixed order, whether or not an effect applies, so one
  // setting never shifts the stream of another.
  const bool thickness = rng.uniform() < config.thickness_probability;
  const bool thicken = rng.uniform() < 0.5f;
  const float thickness_weight = rng.uniform() * (thicken ? config.thicken_max : config.thin_max);
  const float angle = rng.uniform(-1.0f, 1.0f) * config.rotation_degrees * float(std::numbers::pi / 180.0);
  const float scale = rng.uniform(config.scale_min, config.scale_max);
  const float aspect = 1.0f + rng.uniform(-1.0f, 1.0f) * config.aspect;
  const float shear = rng.uniform(-1.0f, 1.0f) * config.shear;
  const float shift_x = rng.uniform(-1.0f, 1.0f) * config.shift_pixels;
  const float shift_y = rng.uniform(-1.0f, 1.0f) * config.shift_pixels;
  const bool elastic = rng.uniform() < config.elastic_probability && config.elastic_alpha > 0;

  if (thickness && thickness_weight > 0) change_thickness(src, rows, cols, thicken, thickness_weight);

  // Forward map about the centre: p' = R(angle) * Shear * Scale * p + shift. Sampling needs the
  // inverse: for each output pixel, where it comes from.
  const float sx = scale * std::sqrt(aspect), sy = scale / std::sqrt(aspect);
  const float c = std::cos(angle), s = std::sin(angle);
  // Shear * Scale = [[sx, shear * sy], [0, sy]]; then the rotation.
  const float m00 = c * sx, m01 = c * shear * sy - s * sy, m10 = s * sx, m11 = s * shear * sy + c * sy;
  const float det = m00 * m11 - m01 * m10;
  const float i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
  const float cx = 0.5f * float(cols - 1), cy = 0.5f * float(rows - 1);

  std::vector<float> dx, dy;
  if (elastic) {
    dx = displacement_field(rows, cols, config.elastic_alpha, config.elastic_sigma, rng);
    dy = displacement_field(rows, cols, config.elastic_alpha, config.elastic_sigma, rng);
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t col = 0; col < cols; ++col) {
      float px = float(col) - cx - shift_x, py = float(r) - cy - shift_y;
      if (elastic) px += dx[r * cols + col], py += dy[r * cols + col];
      const float x = i00 * px + i01 * py + cx, y = i10 * px + i11 * py + cy;
      out[r * cols + col] = std::clamp(bilinear(src, rows, cols, x, y), 0.0f, 1.0f);
    }
}

}  // namespace

AugmentConfig AugmentConfig::none() {
  AugmentConfig c;
  c.rotation_degrees = 0;
  c.scale_min = c.scale_max = 1;
  c.aspect = c.shear = c.shift_pixels = 0;
  c.elastic_probability = c.thickness_probability = 0;
  return c;
}

void augment_image(const std::uint8_t* image, std::size_t rows, std::size_t cols, const AugmentConfig& config,
                   Rng& rng, float* out) {
  const std::vector<float> ink = ink_levels(image, rows * cols);
  augment_ink(ink.data(), rows, cols, config, rng, out);
}

std::vector<float> ink_levels(const std::uint8_t* image, std::size_t pixels) {
  std::vector<float> ink(pixels);
  for (std::size_t i = 0; i < pixels; ++i) ink[i] = float(image[i]) * (1.0f / 255.0f);
  return ink;
}

int count_ink_loops(const float* ink, std::size_t rows, std::size_t cols, float ink_level) {
  return count_loops(threshold_ink(ink, rows, cols, ink_level));
}

void augment_ink(const float* ink, std::size_t rows, std::size_t cols, const AugmentConfig& config, Rng& rng,
                 float* out) {
  const std::vector<float> original(ink, ink + rows * cols);
  const int tries = std::max(1, config.loop_keeping_tries);
  const int loops = config.loop_keeping_tries > 0 ? count_ink_loops(ink, rows, cols, config.loop_ink_level) : 0;
  for (int t = 0; t < tries; ++t) {
    random_variant(original.data(), rows, cols, config, rng, out);
    if (loops == 0 || count_ink_loops(out, rows, cols, config.loop_ink_level) >= loops) return;
  }
  std::copy(original.begin(), original.end(), out);
}

Rng augment_rng(std::uint64_t batch_seed, std::uint64_t position) {
  return Rng(mix64(batch_seed ^ mix64(position + 0x632be59bd9b4e019ULL)));
}

std::uint64_t augment_batch_seed(std::uint64_t run_seed, std::uint64_t epoch, std::uint64_t batch) {
  return mix64(mix64(mix64(run_seed ^ 0x8cb92ba72f3d8dd7ULL) + epoch) + batch);
}

}  // namespace lenet
