#pragma once
// Plane geometry on drawing points, shared by the tracer, the plausibility check, the written
// numbers and the number reader.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/ink/drawing.hpp"

namespace lenet {

// The distance from p to the segment ab (to a itself when a == b).
inline float distance_to_segment(Point p, Point a, Point b) {
  const float ex = b.x - a.x, ey = b.y - a.y, len2 = ex * ex + ey * ey;
  const float t = len2 > 0 ? std::clamp(((p.x - a.x) * ex + (p.y - a.y) * ey) / len2, 0.0f, 1.0f) : 0.0f;
  return std::hypot(p.x - a.x - t * ex, p.y - a.y - t * ey);
}

// The length of a polyline (0 for fewer than two points).
inline float path_length(const std::vector<Point>& points) {
  float length = 0;
  for (std::size_t k = 1; k < points.size(); ++k)
    length += std::hypot(points[k].x - points[k - 1].x, points[k].y - points[k - 1].y);
  return length;
}

struct Box {
  float left = 0, top = 0, right = 0, bottom = 0;  // y down
  float width() const { return right - left; }
  float height() const { return bottom - top; }
  float centre_x() const { return (left + right) / 2; }
  float centre_y() const { return (top + bottom) / 2; }
};

// The smallest box holding both.
inline Box union_box(const Box& a, const Box& b) {
  return {std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right), std::max(a.bottom, b.bottom)};
}

// The smallest box holding every point of the strokes (left > right when there is none).
inline Box bounds(const std::vector<std::vector<Point>>& strokes) {
  Box b{std::numeric_limits<float>::max(), std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
        -std::numeric_limits<float>::max()};
  for (const std::vector<Point>& s : strokes)
    for (const Point& p : s)
      b.left = std::min(b.left, p.x), b.right = std::max(b.right, p.x), b.top = std::min(b.top, p.y),
      b.bottom = std::max(b.bottom, p.y);
  return b;
}

}  // namespace lenet
