#include "core/drawing.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace lenet {

namespace {

using nlohmann::json;

bool finite(float v) { return std::isfinite(v); }

float number_field(const json& object, const char* key, const std::string& what) {
  const auto it = object.find(key);
  if (it == object.end()) throw Error(what + " has no \"" + key + "\" field");
  if (!it->is_number()) throw Error(what + ": \"" + key + "\" must be a number");
  return it->get<float>();
}

Drawing drawing_from_value(const json& value, const std::string& what) {
  if (!value.is_object())
    throw Error(what + " must be an object {\"width\", \"height\", \"penWidth\", \"strokes\"}");
  Drawing d;
  d.width = number_field(value, "width", what);
  d.height = number_field(value, "height", what);
  d.pen_width = number_field(value, "penWidth", what);
  const auto strokes = value.find("strokes");
  if (strokes == value.end()) throw Error(what + " has no \"strokes\" field");
  if (!strokes->is_array()) throw Error(what + ": \"strokes\" must be a list of strokes");
  d.strokes.reserve(strokes->size());
  for (std::size_t s = 0; s < strokes->size(); ++s) {
    const json& stroke = (*strokes)[s];
    const std::string where = what + ": stroke " + std::to_string(s);
    if (!stroke.is_array()) throw Error(where + " must be a list of [x, y] points");
    auto& points = d.strokes.emplace_back();
    points.reserve(stroke.size());
    for (std::size_t p = 0; p < stroke.size(); ++p) {
      const json& point = stroke[p];
      if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number())
        throw Error(where + ", point " + std::to_string(p) + " must be a pair of numbers [x, y]");
      points.push_back({point[0].get<float>(), point[1].get<float>()});
    }
  }
  check_drawing(d, what);
  return d;
}

json parse(const std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    throw Error(source + " is not valid JSON");
  }
}

}  // namespace

void check_drawing(const Drawing& d, const std::string& source) {
  if (!finite(d.width) || !finite(d.height) || d.width < 0 || d.height < 0)
    throw Error(source + ": width and height must be finite numbers >= 0");
  if (!finite(d.pen_width) || d.pen_width <= 0) throw Error(source + ": penWidth must be a finite number > 0");
  for (std::size_t s = 0; s < d.strokes.size(); ++s)
    for (std::size_t p = 0; p < d.strokes[s].size(); ++p)
      if (!finite(d.strokes[s][p].x) || !finite(d.strokes[s][p].y))
        throw Error(source + ": stroke " + std::to_string(s) + ", point " + std::to_string(p) +
                    " is not a pair of finite numbers");
}

Drawing drawing_from_json(const std::string& json_text, const std::string& source) {
  return drawing_from_value(parse(json_text, source), source);
}

std::vector<Drawing> drawings_from_json(const std::string& json_text, const std::string& source) {
  const json value = parse(json_text, source);
  if (!value.is_array()) return {drawing_from_value(value, source)};
  std::vector<Drawing> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i)
    out.push_back(drawing_from_value(value[i], source + ": drawing " + std::to_string(i)));
  return out;
}

std::string drawing_to_json(const Drawing& d) {
  json strokes = json::array();
  for (const auto& stroke : d.strokes) {
    json points = json::array();
    for (const Point& p : stroke) points.push_back({p.x, p.y});
    strokes.push_back(std::move(points));
  }
  return json{{"width", d.width}, {"height", d.height}, {"penWidth", d.pen_width}, {"strokes", std::move(strokes)}}.dump();
}

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
      // Along a row, the sample moves by 1 and its projection parameter t by a fixed step.
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
