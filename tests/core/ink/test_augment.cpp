#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/ink/augment.hpp"
#include "core/train/training.hpp"

namespace {

using lenet::AugmentConfig;

// A 28x28 "digit": a ring of radius 6 and width 2 around (13.5, 13.5), plus a bar, so it has
// an orientation (the bar) and a centre of mass that is not the image centre.
std::vector<std::uint8_t> test_digit() {
  std::vector<std::uint8_t> img(28 * 28, 0);
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const double d = std::hypot(r - 13.5, c - 13.5);
      if (std::abs(d - 6.0) < 1.0 || (c >= 18 && c <= 19 && r >= 6 && r <= 21)) img[r * 28 + c] = 255;
    }
  return img;
}

struct Moments {
  double mass = 0, cx = 0, cy = 0, spread = 0;  // spread: mean squared distance from the centre of mass
};
Moments moments(const float* img) {
  Moments m;
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) {
      const double v = img[r * 28 + c];
      m.mass += v, m.cx += v * c, m.cy += v * r;
    }
  m.cx /= m.mass, m.cy /= m.mass;
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c) m.spread += img[r * 28 + c] * ((c - m.cx) * (c - m.cx) + (r - m.cy) * (r - m.cy));
  m.spread /= m.mass;
  return m;
}
Moments moments(const std::vector<std::uint8_t>& img) {
  std::vector<float> f(img.begin(), img.end());
  for (float& v : f) v /= 255.0f;
  return moments(f.data());
}

std::vector<float> augmented(const std::vector<std::uint8_t>& img, const AugmentConfig& config, std::uint64_t seed) {
  std::vector<float> out(img.size());
  lenet::Rng rng(seed);
  lenet::augment_image(img.data(), 28, 28, config, rng, out.data());
  return out;
}

}  // namespace

TEST_CASE("augment: the identity config gives the image itself, scaled to [0, 1]") {
  const auto img = test_digit();
  const auto out = augmented(img, AugmentConfig::none(), 1);
  for (std::size_t i = 0; i < img.size(); ++i) REQUIRE(out[i] == float(img[i]) / 255.0f);
}

TEST_CASE("augment: the same generator state gives the same variant, other seeds other variants, always in [0, 1]") {
  const auto img = test_digit();
  const AugmentConfig config;
  CHECK(augmented(img, config, 5) == augmented(img, config, 5));
  int different = 0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto out = augmented(img, config, seed);
    for (float v : out) REQUIRE((v >= 0.0f && v <= 1.0f));
    different += out != augmented(img, config, seed + 100);
  }
  CHECK(different == 20);
  lenet::Rng a = lenet::augment_rng(9, 0), b = lenet::augment_rng(9, 1), c = lenet::augment_rng(10, 0);
  const auto first = a.next_u64();
  CHECK(first != b.next_u64());
  CHECK(first != c.next_u64());
  CHECK(lenet::augment_batch_seed(1, 2, 3) != lenet::augment_batch_seed(1, 3, 2));
}

TEST_CASE("augment: shifts move the centre of mass by at most the configured pixels, keeping the ink") {
  const auto img = test_digit();
  const Moments base = moments(img);
  AugmentConfig config = AugmentConfig::none();
  config.shift_pixels = 3.0f;
  double largest = 0;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    const Moments m = moments(augmented(img, config, seed).data());
    REQUIRE(std::abs(m.cx - base.cx) <= 3.0 + 1e-3);
    REQUIRE(std::abs(m.cy - base.cy) <= 3.0 + 1e-3);
    CHECK(m.mass == doctest::Approx(base.mass).epsilon(1e-4));
    largest = std::max({largest, std::abs(m.cx - base.cx), std::abs(m.cy - base.cy)});
  }
  CHECK(largest > 2.5);  // the whole range is used
}

TEST_CASE("augment: rotation keeps ink and spread, and scale changes the spread by the scale squared") {
  const auto img = test_digit();
  const Moments base = moments(img);
  AugmentConfig rotate = AugmentConfig::none();
  rotate.rotation_degrees = 30.0f;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto out = augmented(img, rotate, seed);
    const Moments m = moments(out.data());
    CHECK(m.mass == doctest::Approx(base.mass).epsilon(0.03));
    CHECK(m.spread == doctest::Approx(base.spread).epsilon(0.03));
  }
  CHECK(augmented(img, rotate, 1) != augmented(img, rotate, 2));
  AugmentConfig shrink = AugmentConfig::none();
  shrink.scale_min = shrink.scale_max = 0.5f;
  const Moments half = moments(augmented(img, shrink, 3).data());
  CHECK(half.spread == doctest::Approx(base.spread * 0.25).epsilon(0.1));
  CHECK(half.mass == doctest::Approx(base.mass * 0.25).epsilon(0.1));
}

TEST_CASE("augment: stroke thickness changes add or remove ink, both ways") {
  const auto img = test_digit();
  const Moments base = moments(img);
  AugmentConfig config = AugmentConfig::none();
  config.thickness_probability = 1.0f;
  int thicker = 0, thinner = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    const Moments m = moments(augmented(img, config, seed).data());
    thicker += m.mass > base.mass * 1.02;
    thinner += m.mass < base.mass * 0.98;
    CHECK(m.mass <= base.mass * 2.2);  // at most a one-pixel dilation of two-pixel strokes
  }
  CHECK(thicker > 5);
  CHECK(thinner > 5);
}

TEST_CASE("augment: elastic distortion moves ink locally, more with a larger alpha, and keeps the digit in place") {
  const auto img = test_digit();
  const Moments base = moments(img);
  auto change = [&](float alpha, std::uint64_t seed) {
    AugmentConfig config = AugmentConfig::none();
    config.elastic_probability = 1.0f;
    config.elastic_alpha = alpha;
    const auto out = augmented(img, config, seed);
    const Moments m = moments(out.data());
    // A smooth field squeezes some strokes and stretches others: the ink changes, but within bounds.
    CHECK(m.mass > 0.5 * base.mass);
    CHECK(m.mass < 1.6 * base.mass);
    CHECK(std::hypot(m.cx - base.cx, m.cy - base.cy) < 3.0);
    double changed = 0;
    for (std::size_t i = 0; i < out.size(); ++i) changed += std::abs(out[i] - img[i] / 255.0f);
    return changed / base.mass;
  };
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const double weak = change(3.0f, seed), strong = change(34.0f, seed);
    CHECK(weak > 0.01);
    CHECK(strong > 2 * weak);
  }
}

TEST_CASE("augment: a batch is augmented the same whichever way it is split between threads") {
  lenet::Dataset data;
  data.count = 8, data.rows = 28, data.cols = 28;
  const auto digit = test_digit();
  for (std::size_t i = 0; i < data.count; ++i) {
    data.images.insert(data.images.end(), digit.begin(), digit.end());
    data.labels.push_back(std::uint8_t(i));
  }
  const std::size_t indices[8] = {3, 1, 4, 1, 5, 0, 2, 6};
  const AugmentConfig config;
  const lenet::BatchAugmentation augment{&config, 1234};
  const lenet::Normalization norm{0.1f, 0.3f};
  lenet::Tensor whole, head, tail;
  std::vector<std::uint8_t> labels, head_labels, tail_labels;
  lenet::gather_batch(data, indices, 8, norm, whole, labels, &augment, 0);
  lenet::gather_batch(data, indices, 3, norm, head, head_labels, &augment, 0);
  lenet::gather_batch(data, indices + 3, 5, norm, tail, tail_labels, &augment, 3);
  const std::size_t px = 28 * 28;
  CHECK(std::equal(head.data(), head.data() + 3 * px, whole.data()));
  CHECK(std::equal(tail.data(), tail.data() + 5 * px, whole.data() + 3 * px));
  CHECK(labels == std::vector<std::uint8_t>{3, 1, 4, 1, 5, 0, 2, 6});
  // Positions, not images, pick the variant: the two copies of image 1 differ.
  CHECK(!std::equal(whole.data() + px, whole.data() + 2 * px, whole.data() + 3 * px));
  lenet::Tensor plain;
  lenet::gather_batch(data, indices, 8, norm, plain, labels);
  CHECK(!std::equal(plain.data(), plain.data() + 8 * px, whole.data()));
  CHECK(plain(0, 0, 0, 0) == doctest::Approx(-0.1f / 0.3f));
}

TEST_CASE("augment: a variant never fills a loop of the digit; without the check thickening and shrinking do") {
  // A small 0: a ring of radius 2.5 and width 1.6, whose hole a dilation and a shrink can close.
  std::vector<std::uint8_t> img(28 * 28, 0);
  for (int r = 0; r < 28; ++r)
    for (int c = 0; c < 28; ++c)
      if (std::abs(std::hypot(r - 13.5, c - 13.5) - 2.5) < 0.8) img[r * 28 + c] = 255;
  const auto loops = [](const std::vector<float>& ink) { return lenet::count_ink_loops(ink.data(), 28, 28, 0.5f); };
  REQUIRE(loops(std::vector<float>(img.begin(), img.end())) == 1);
  AugmentConfig config;  // every effect as in training, with thickening and shrinking at their strongest
  config.thickness_probability = 1.0f;
  config.thin_max = 0.0f;
  config.scale_min = 0.85f, config.scale_max = 0.9f;
  int filled_unchecked = 0;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    CAPTURE(seed);
    CHECK(loops(augmented(img, config, seed)) >= 1);
    AugmentConfig unchecked = config;
    unchecked.loop_keeping_tries = 0;
    filled_unchecked += loops(augmented(img, unchecked, seed)) == 0;
  }
  CHECK(filled_unchecked > 10);
}

TEST_CASE("augment: a variant that keeps the loops is the one the generator drew first, as without the check") {
  const auto img = test_digit();  // a wide ring: nothing fills it
  AugmentConfig unchecked;
  unchecked.loop_keeping_tries = 0;
  for (std::uint64_t seed = 0; seed < 10; ++seed) CHECK(augmented(img, AugmentConfig{}, seed) == augmented(img, unchecked, seed));
}
