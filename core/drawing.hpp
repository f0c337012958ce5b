#pragma once
// A digit drawn on the page's canvas: polylines drawn with a round pen. The page sends it as JSON
//   {"width": W, "height": H, "penWidth": P, "strokes": [[[x, y], ...], ...]}
// (canvas pixels, y down). Points may lie outside the canvas: the pen may leave it mid-stroke.

#include <cstddef>
#include <string>
#include <vector>

namespace lenet {

struct Point {
  float x = 0, y = 0;
};

struct Drawing {
  float width = 0, height = 0, pen_width = 0;
  std::vector<std::vector<Point>> strokes;
};

// Throws lenet::Error naming `source` unless the sizes are finite and >= 0, the pen width is a
// finite number > 0 and every point is finite.
void check_drawing(const Drawing& drawing, const std::string& source = "drawing");

// Parse one drawing object; `source` names the text in error messages (a file name, say).
Drawing drawing_from_json(const std::string& json_text, const std::string& source = "drawing JSON");
// Parse one drawing object or a list of them.
std::vector<Drawing> drawings_from_json(const std::string& json_text, const std::string& source = "drawing JSON");
std::string drawing_to_json(const Drawing& drawing);

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
