#pragma once
// Plane geometry on drawing points, shared by the tracer and the plausibility check.

#include <algorithm>
#include <cmath>

#include "core/ink/drawing.hpp"

namespace lenet {

// The distance from p to the segment ab (to a itself when a == b).
inline float distance_to_segment(Point p, Point a, Point b) {
  const float ex = b.x - a.x, ey = b.y - a.y, len2 = ex * ex + ey * ey;
  const float t = len2 > 0 ? std::clamp(((p.x - a.x) * ex + (p.y - a.y) * ey) / len2, 0.0f, 1.0f) : 0.0f;
  return std::hypot(p.x - a.x - t * ex, p.y - a.y - t * ey);
}

}  // namespace lenet
