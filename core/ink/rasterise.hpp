#pragma once
// The drawing's strokes as an ink raster: what the page does per drawing, every animation frame,
// so unlike the rest of the drawing format (core/ink/drawing.hpp, parsed once per file) it is
// compiled for speed in wasm too (core/CMakeLists.txt).

#include <cstddef>
#include <vector>

#include "core/ink/drawing.hpp"

namespace lenet {

// Anti-aliased raster of the ink (1 = full ink) of the canvas region that starts at canvas point
// (x0, y0), at `scale` raster pixels per canvas pixel, `width` x `height` raster pixels, row-major.
// Raster pixel (i, j) samples the canvas at (x0 + (i + 0.5) / scale, y0 + (j + 0.5) / scale).
// The pen's edge is anti-aliased over e = one pixel of the canvas or of the raster, whichever is
// coarser: coverage = clamp((r + e/2 - d) / e, 0, 1) for the distance d to the nearest segment and
// pen radius r. At scale 1 that is the canvas itself; at smaller scales it approximates the canvas
// area-averaged down. Overlapping segments take the maximum, not the sum.
std::vector<float> rasterise(const Drawing& drawing, double x0, double y0, float scale, std::size_t width,
                             std::size_t height);

}  // namespace lenet
