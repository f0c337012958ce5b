#include "core/ink/rasterise.hpp"

#include <algorithm>
#include <cmath>

namespace lenet {

std::vector<float> rasterise(const Drawing& d, double x0, double y0, float scale, std::size_t width,
                             std::size_t height) {
  std::vector<float> ink(width * height, 0.0f);
  if (width == 0 || height == 0 || !(scale > 0) || !std::isfinite(scale)) return ink;
  // Everything is measured in raster pixels (canvas point p is at (p - origin) * scale), so that
  // the numbers stay small whatever the canvas coordinates are.
  const auto to_raster = [&](const Point& p) {
    return Point{static_cast<float>((static_cast<double>(p.x) - x0) * scale),
                 static_cast<float>((static_cast<double>(p.y) - y0) * scale)};
  };
  // The pen's edge is smoothed over one pixel of the canvas or of the raster, whichever is coarser.
  const float edge = std::max(1.0f, scale);
  const float inv_edge = 1.0f / edge;
  const float reach = 0.5f * (d.pen_width * scale + edge);  // beyond this the coverage is 0
  // Raster columns (or rows) whose centre lies in [lo, hi].
  auto range = [](float lo, float hi, std::size_t n, std::size_t& first, std::size_t& last) {
    const double a = std::ceil(static_cast<double>(lo) - 0.5), b = std::floor(static_cast<double>(hi) - 0.5);
    if (!(a <= b) || b < 0 || a > static_cast<double>(n) - 1) return false;  // also NaN
    first = static_cast<std::size_t>(std::max(a, 0.0));
    last = static_cast<std::size_t>(std::min(b, static_cast<double>(n) - 1));
    return true;
  };
  for (const auto& stroke : d.strokes) {
    if (stroke.empty()) continue;
    Point last = to_raster(stroke[0]);  // where the kept polyline has got to
    for (std::size_t k = stroke.size() == 1 ? 0 : 1; k < stroke.size(); ++k) {
      // A one-point stroke is a dot: the segment from the point to itself. Points closer than a
      // quarter raster pixel to the previous one add nothing visible but cost a segment each
      // (pointer events are dense where the hand moves slowly).
      const Point b = to_raster(stroke[k]);
      const float mx = b.x - last.x, my = b.y - last.y;
      if (k + 1 < stroke.size() && mx * mx + my * my < 0.0625f) continue;
      const Point a = last;
      last = b;
      std::size_t i0, i1, j0, j1;
      if (!range(std::min(a.x, b.x) - reach, std::max(a.x, b.x) + reach, width, i0, i1) ||
          !range(std::min(a.y, b.y) - reach, std::max(a.y, b.y) + reach, height, j0, j1))
        continue;
      const float ex = b.x - a.x, ey = b.y - a.y;
      const float len2 = ex * ex + ey * ey;
      const float inv_len2 = len2 > 0 ? 1.0f / len2 : 0.0f;
      // Along a row, the sample moves by 1 and its projection parameter t by a fixed step: the math
      // of distance_to_segment (geometry.hpp), stepped, with no division or hypot per pixel.
      const float px0 = static_cast<float>(i0) + 0.5f - a.x;
      const float dt = ex * inv_len2;
      const int count = static_cast<int>(i1 - i0) + 1;
      for (std::size_t j = j0; j <= j1; ++j) {
        const float py = static_cast<float>(j) + 0.5f - a.y;
        float* row = ink.data() + j * width + i0;
        float px = px0, t = (px0 * ex + py * ey) * inv_len2;
        for (int i = 0; i < count; ++i, px += 1, t += dt) {
          const float tc = std::min(std::max(t, 0.0f), 1.0f);
          const float dx = px - tc * ex, dy = py - tc * ey;
          const float c = (reach - std::sqrt(dx * dx + dy * dy)) * inv_edge;
          row[i] = std::max(row[i], std::min(std::max(c, 0.0f), 1.0f));
        }
      }
    }
  }
  return ink;
}

}  // namespace lenet
