#pragma once
// Drawn or photographed digits -> a 28x28 input like MNIST's (the MNIST recipe), shared by the page
// (through wasm) and `lenet-train predict`:
//   ink raster -> bounding box of the ink -> scale so the longer side is 20 px (aspect ratio kept;
//   area averaging when shrinking, bilinear when enlarging; the 20 px side spans exactly 20 pixels)
//   -> place in 28x28 so that the ink's centre of mass lies on pixel (14, 14) -> the model's
//   normalisation.
//
// Coordinates: pixel (i, j) is column i, row j; its centre is at index coordinates (i, j). The
// centre of mass is sum(ink * index) / sum(ink), and a whole-pixel shift puts it within half a
// pixel of (14, 14), as MNIST did (its test set averages (14.00, 13.99) this way); a sub-pixel
// shift would blur every digit a little. Ink pushed past the 28x28 border by the shift is clipped.

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/ink/drawing.hpp"

namespace lenet {

inline constexpr std::size_t digit_side = 28;
inline constexpr std::size_t digit_box = 20;  // the longer side of the ink's bounding box
inline constexpr float digit_centre = 14.0f;  // where the centre of mass goes, index coordinates

using DigitPixels = std::array<float, digit_side * digit_side>;  // row-major

struct Digit28 {
  DigitPixels pixels{};  // ink in [0, 1], 1 = full ink
  bool empty = true;     // no ink at all: pixels are all 0 (the caller should not classify it)
};

// The pixels moved by whole pixels, dx to the right and dy down: out(x, y) = in(x - dx, y - dy).
// Ink moved past the border is lost; the pixels it uncovers are 0.
DigitPixels shifted_pixels(const DigitPixels& in, int dx, int dy);

// Rasterise the strokes (round pen, anti-aliased) and apply the recipe. Cheap enough for every
// animation frame: only the strokes' bounding box is rasterised, at 3x the 20 px box.
// Throws lenet::Error for a drawing that check_drawing rejects.
Digit28 preprocess_drawing(const Drawing& drawing);

// A grey raster, row-major, ink = larger values (clamped to [0, 1]; NaN counts as no ink).
// Empty when no pixel reaches a small ink level.
Digit28 preprocess_grey(const float* grey, std::size_t width, std::size_t height);

enum class Polarity { automatic, ink_is_bright, ink_is_dark };

// An 8-bit grey image (a PNG or JPEG file, say). The background level is taken from the image's
// border (automatic polarity: a bright border means dark ink on light paper); ink is then the
// contrast above the background, stretched so the strongest ink is 1, and goes to preprocess_grey.
Digit28 preprocess_image_u8(const std::uint8_t* grey, std::size_t width, std::size_t height,
                            Polarity polarity = Polarity::automatic);

// The model's input normalisation, out784[i] = (pixels[i] - mean) / std. Throws unless std > 0.
void normalize(const Digit28& digit, float mean, float std, float* out784);

}  // namespace lenet
