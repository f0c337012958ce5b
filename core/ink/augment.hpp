#pragma once
// Data augmentation for training on digits that people draw: MNIST's digits are written with
// a pen on paper and centred by their centre of mass; digits drawn on a screen are slanted,
// rotated, squashed and thicker or thinner in ways MNIST rarely shows. Each training image gets
//   - sometimes a random stroke-thickness change (grey dilation or erosion, blended),
//   - a random affine map (rotation, scale, aspect, shear, shift) about the image centre,
//   - sometimes an elastic distortion (Simard, Steinkraus & Platt 2003: a random displacement
//     field smoothed by a Gaussian of width sigma and scaled by alpha),
// sampled bilinearly, and drawn again where it filled one of the digit's loops. Every random
// number comes from the generator the caller passes, so a seeded run stays reproducible whatever
// thread handles which image.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/base/random.hpp"

namespace lenet {

struct AugmentConfig {
  float rotation_degrees = 12.0f;          // uniform in [-r, r]
  float scale_min = 0.85f, scale_max = 1.1f;  // both axes
  float aspect = 0.12f;                    // width / height changes by a factor in [1 - a, 1 + a]
  float shear = 0.25f;                     // x += shear * y, shear uniform in [-s, s]
  float shift_pixels = 2.0f;               // each axis uniform in [-s, s]
  float elastic_probability = 0.5f;
  float elastic_alpha = 34.0f, elastic_sigma = 4.0f;  // Simard et al.'s values for MNIST
  float thickness_probability = 0.5f;
  float thicken_max = 1.0f;  // blend towards a 3x3 cross dilation, up to this weight
  float thin_max = 0.5f;     // blend towards a 3x3 cross erosion, up to this weight
  // A variant must keep the digit's loops: thickening, shrinking or an elastic squeeze can fill
  // the hole of a small 6, 8 or 0 and leave a blob that looks like a thick 1, teaching the network
  // to read thick 1s as 6, 8 or 0. Such a variant is drawn again (the generator goes on), up to
  // this many variants in all; if every one fills a loop, the image is used as it is. 0: no check.
  int loop_keeping_tries = 4;
  float loop_ink_level = 0.5f;  // ink at or above this level encloses a loop (paper below it)

  // No change at all (the identity map): for tests, and a base to switch single effects on.
  static AugmentConfig none();
};

// A random variant of an 8-bit image (rows x cols, ink = large values), as ink levels in
// [0, 1] (pixel / 255 for the identity) written to out[rows * cols].
void augment_image(const std::uint8_t* image, std::size_t rows, std::size_t cols, const AugmentConfig& config,
                   Rng& rng, float* out);
// The same for an image of ink levels in [0, 1] (a digit drawn from strokes, say); `ink` and `out`
// may be the same array.
void augment_ink(const float* ink, std::size_t rows, std::size_t cols, const AugmentConfig& config, Rng& rng,
                 float* out);

// An 8-bit image (0..255) as ink levels in [0, 1].
std::vector<float> ink_levels(const std::uint8_t* image, std::size_t pixels);

// The loops of an image of ink levels (binary_image.hpp), ink at or above `ink_level`.
int count_ink_loops(const float* ink, std::size_t rows, std::size_t cols, float ink_level);

// The generator for the image at `position` within the batch drawn with `batch_seed`, and that
// seed for a run's batch: pure functions of their arguments, so any thread split, and a resumed
// run, augments every image the same way.
Rng augment_rng(std::uint64_t batch_seed, std::uint64_t position);
std::uint64_t augment_batch_seed(std::uint64_t run_seed, std::uint64_t epoch, std::uint64_t batch);

}  // namespace lenet
