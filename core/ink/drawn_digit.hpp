#pragma once
// Training digits that look like what the page sees: a traced MNIST digit (trace.hpp), perhaps
// rewritten in a writing style MNIST lacks (styles.hpp), its strokes nudged apart as a hand does,
// placed on the page's canvas at a random size with a random pen, then rasterised and preprocessed
// by the very code that handles a person's drawing (preprocess_drawing).

#include "core/ink/preprocess.hpp"
#include "core/ink/styles.hpp"

namespace lenet {

struct DrawnDigitConfig {
  float restyle_probability = 0.5f;  // of a digit that has styles: drawn in one of them (each as likely)
  // The pen: the digit's own traced stroke width times pen_scale, kept within pen_fraction of the
  // ink's longer side. Relative to the digit's own width, so that a thick pen does not clog the
  // loops of a narrow digit written thin (a clogged narrow 0 is a thick slanted bar: a 1), and a
  // thick 1 stays thick.
  Range pen_scale{0.6f, 1.2f};
  Range pen_fraction{0.04f, 0.25f};
  Range fill{0.3f, 0.85f};           // the ink's longer side / the canvas side
  float canvas_size = 280;           // the page's canvas, px
  float stroke_shift = 0.035f;       // each stroke moves by up to this x the digit's height: gaps and
                                     // overshoots where strokes meet, as when a pen is lifted
  float stroke_turn_degrees = 4;     // and turns about its centre by up to this
  StyleRanges ranges = training_style_ranges();
};

struct DrawnDigit {
  Digit28 digit;
  Style style = Style::none;
  Drawing drawing;  // on the canvas, as the page would send it
};

// What training needs to redraw its images: each image's traced strokes (empty strokes: the image
// is always used as it is) and how to redraw them.
struct DrawnTraining {
  std::vector<TracedDigit> traced;  // traced[i] for training image i
  DrawnDigitConfig config;
  float share = 0.5f;  // of the training images, redrawn from their strokes each time they are used
};

// The styles that write digit `label` (none for most digits).
std::vector<Style> styles_of_digit(int label);

// One random redrawing of a traced digit of class `label`; every choice comes from `rng`.
// `forced` draws that style instead of a random choice (Style::none: no restyling).
DrawnDigit draw_traced_digit(const TracedDigit& traced, int label, const DrawnDigitConfig& config, Rng& rng);
DrawnDigit draw_traced_digit(const TracedDigit& traced, Style forced, const DrawnDigitConfig& config, Rng& rng);

}  // namespace lenet
