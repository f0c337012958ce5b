#pragma once
// Synthetic NON-digits: things people scribble on a digit pad that no person would read as a
// digit, drawn in the page's stroke format (core/ink/drawing.hpp) on its 280 px canvas with its pen.
// They measure (and fit) the rule that says "That does not look like a digit" (plausibility.hpp).
//
// Kinds: a cross (X), a single tap, a tiny stroke, a long bar across the pad, letters whose shapes
// no digit has (A E F H K M N R W Y, k m w), a hash (#), a smiley, a scribble, a filled blob.
// Left out on purpose, because a person would read them AS digits: O/o (0), l/I (1), S (5), Z (2),
// B (8), G and b (6), q and g (9), T (a crossed 7 or a 7 with a long bar), J (a hooked 1 or 7),
// L (an open 4 drawn fast), C and U (an open 0), P (a 9 written sideways), e (a 6 or 2), V (an
// unfinished 4 or 7 in some hands).
//
// Each shape is a few template polylines in a unit box; every choice (size, aspect, slant,
// rotation, position, per-point jitter, pen width) is drawn from the caller's generator, so the
// same seed gives the same drawing on every target.

#include <cstdint>
#include <span>
#include <string>

#include "core/ink/drawing.hpp"
#include "core/base/random.hpp"

namespace lenet {

enum class NonDigitKind {
  cross, tap, tiny_stroke, long_bar,
  letter_a, letter_e, letter_f, letter_h, letter_k, letter_m, letter_n, letter_r, letter_w, letter_y,
  small_k, small_m, small_w,
  hash, smiley, scribble, blob,
};

std::span<const NonDigitKind> all_non_digit_kinds();
const char* non_digit_name(NonDigitKind kind);  // "cross", "tap", "A", "k", "#", ...

// One drawing of `kind`, every choice from `rng`.
Drawing draw_non_digit(NonDigitKind kind, Rng& rng);

// Non-digit `index` of the set seeded `seed`: kinds in turn (index modulo the kind count), each
// drawing a pure function of (seed, index). Fitting uses one seed, measuring others.
Drawing non_digit_sample(std::uint64_t seed, std::size_t index);
NonDigitKind non_digit_sample_kind(std::size_t index);

}  // namespace lenet
