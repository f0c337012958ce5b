#pragma once
// Does the input look like a digit at all? A network trained on digits alone gives everything a
// digit, often confidently (an X reads as "2, 83 % sure"), and its top probability cannot tell: a
// threshold that keeps 99.7 % of MNIST training digits (0.58 with lenet-web) lies below the median
// top probability of every kind of non-digit. So the rule looks at what holds for any model:
//   ink:      a tap or a filled blob (and some tiny strokes), scaled up to the 20 px box, is a solid disc,
//             more ink than any digit; a bar across the pad is flatter than any digit;
//   shape:    the input traced into strokes (trace.hpp): loose ends, strokes and crossings, which
//             each digit class has in a typical number (a 2 has two ends; an X read as 2 has four);
//             three or more crossings (#) no digit has, nor two straight diagonals crossing (an X;
//             a 4's or a crossed 7's crossing bar is level, the stem steep);
//   network:  an unusual shape is rejected only when the network's reading is unsteady too (the
//             mean probability of its class over the input shifted by 1 px), so that an odd but
//             clear digit is still read.
// The thresholds were fitted on MNIST training images, training digits traced and redrawn, and
// non-digits from the fitting seed (`lenet-train plausibility --set train`); README,
// "That does not look like a digit", has the figures on test digits and other seeds.

#include <array>
#include <cstddef>
#include <vector>

#include "core/formats/model_io.hpp"
#include "core/ink/preprocess.hpp"

namespace lenet {

struct DigitSignals {
  float ink = 0;         // mean ink of the 28x28 input, in [0, 1]
  float box_height = 0;  // of the ink (pixels >= 0.1), px; the longer side is 20 after preprocessing
  int free_ends = 0;     // ends of traced strokes that touch no other stroke (a dot counts 2)
  int strokes = 0;       // traced strokes
  int crossings = 0;     // places where traced strokes cross each other or themselves
  bool diagonal_cross = false;  // two straight strokes cross, both diagonal, leaning opposite ways: an X
  std::size_t top_class = 0;
  float top_probability = 0;
  float steadiness = 0;  // mean probability of top_class over the input shifted 1 px each way
};

// The rule's limits, fitted on training data (see above).
struct PlausibilityLimits {
  float max_ink = 0.30f;
  float min_height = 8;
  int max_crossings = 2;
  // Per class (by true label): more loose ends, strokes or crossings than 95 % of its training
  // digits have is an unusual shape.
  std::array<int, 10> typical_ends{}, typical_strokes{}, typical_crossings{};
  // An unusual shape is rejected when the steadiness is below this: the largest value that keeps
  // rejections of training digits under 0.5 % with both shipped models (LeNet-5, trained without
  // shifts, is the less steady: 0.17 % of MNIST and 0.39 % of traced training digits at 0.5).
  float steady = 0.5f;
};
const PlausibilityLimits& plausibility_limits();

// The ink and shape signals (no network involved).
DigitSignals shape_signals(const Digit28& digit);
// Everything the rule looks at, given the network's probabilities for the input (one per class).
DigitSignals digit_signals(Network& network, const Normalization& norm, const Digit28& digit,
                           const std::vector<float>& probabilities);

// The rule: false when the signals say the input is not a digit.
bool looks_like_digit(const DigitSignals& s, const PlausibilityLimits& limits = plausibility_limits());
// The same verdict, computing only what it needs: the network's four shifted passes run only for
// an unusual shape (what classify_digit calls for every drawing the page shows).
bool looks_like_digit(Network& network, const Normalization& norm, const Digit28& digit,
                      const std::vector<float>& probabilities, const PlausibilityLimits& limits = plausibility_limits());

}  // namespace lenet
