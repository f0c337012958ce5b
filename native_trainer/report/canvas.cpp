#include "native_trainer/report/canvas.hpp"

#include <algorithm>
#include <cmath>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_easy_font.h>
#pragma GCC diagnostic pop
#include <stb/stb_image_write.h>

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"

namespace lenet {

Canvas::Canvas(int width, int height, Rgb bg) : width_(width), height_(height), rgb_(std::size_t(width) * height * 3) {
  for (std::size_t i = 0; i < rgb_.size(); i += 3) rgb_[i] = bg.r, rgb_[i + 1] = bg.g, rgb_[i + 2] = bg.b;
}

Rgb Canvas::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) throw Error("pixel outside the canvas");
  const std::uint8_t* p = &rgb_[(std::size_t(y) * width_ + x) * 3];
  return {p[0], p[1], p[2]};
}

void Canvas::blend(int x, int y, Rgb c, double a) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_ || a <= 0) return;
  a = std::min(a, 1.0);
  std::uint8_t* p = &rgb_[(std::size_t(y) * width_ + x) * 3];
  p[0] = std::uint8_t(p[0] + (c.r - p[0]) * a + 0.5);
  p[1] = std::uint8_t(p[1] + (c.g - p[1]) * a + 0.5);
  p[2] = std::uint8_t(p[2] + (c.b - p[2]) * a + 0.5);
}

void Canvas::fill_rect(double x0, double y0, double x1, double y1, Rgb c) {
  for (int y = std::max(0, int(std::floor(y0))); y < std::min(height_, int(std::ceil(y1))); ++y)
    for (int x = std::max(0, int(std::floor(x0))); x < std::min(width_, int(std::ceil(x1))); ++x) {
      // Coverage of the pixel by the rectangle, so edges at fractional positions look smooth.
      const double cx = std::min(x1, x + 1.0) - std::max(x0, double(x));
      const double cy = std::min(y1, y + 1.0) - std::max(y0, double(y));
      blend(x, y, c, cx * cy);
    }
}

void Canvas::line(double x0, double y0, double x1, double y1, double thickness, Rgb c) {
  // Anti-aliased by distance to the segment, over the segment's bounding box.
  const double r = thickness / 2, dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
  for (int y = int(std::floor(std::min(y0, y1) - r - 1)); y <= int(std::ceil(std::max(y0, y1) + r + 1)); ++y)
    for (int x = int(std::floor(std::min(x0, x1) - r - 1)); x <= int(std::ceil(std::max(x0, x1) + r + 1)); ++x) {
      const double px = x + 0.5, py = y + 0.5;
      const double t = len2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0) : 0.0;
      const double d = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
      blend(x, y, c, std::clamp(r + 0.5 - d, 0.0, 1.0));
    }
}

void Canvas::text(double x, double y, const std::string& s, int scale, Rgb c) {
  // easy_font writes one 64-byte quad per glyph segment and silently drops those that do not fit
  // ("0" and "8" take more than its ~270 bytes per character), so grow the buffer until a whole
  // quad's room is left over: then nothing was dropped.
  constexpr std::size_t quad_bytes = 64;
  std::string copy = s;
  std::vector<char> buffer(s.size() * 8 * quad_bytes + quad_bytes);
  int quads = 0;
  for (;; buffer.resize(buffer.size() * 2)) {
    quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(), int(buffer.size()));
    if ((std::size_t(quads) + 1) * quad_bytes <= buffer.size()) break;
  }
  struct Vertex {
    float x, y, z;
    unsigned char color[4];
  };
  const auto* v = reinterpret_cast<const Vertex*>(buffer.data());
  for (int q = 0; q < quads; ++q) {
    const Vertex* quad = v + 4 * q;
    fill_rect(x + quad[0].x * scale, y + quad[0].y * scale, x + quad[2].x * scale, y + quad[2].y * scale, c);
  }
}

int Canvas::text_width(const std::string& s, int scale) {
  std::string copy = s;
  return stb_easy_font_width(copy.data()) * scale;
}

void Canvas::grey_image(int x0, int y0, const std::uint8_t* pixels, int w, int h, int zoom) {
  for (int y = 0; y < h * zoom; ++y)
    for (int x = 0; x < w * zoom; ++x) {
      const std::uint8_t ink = pixels[(y / zoom) * w + x / zoom];
      const std::uint8_t v = std::uint8_t(255 - ink);
      blend(x0 + x, y0 + y, {v, v, v}, 1.0);
    }
}

void Canvas::save_png(const std::string& path) const {
  std::vector<std::uint8_t> png;
  auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    out->insert(out->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(append, &png, width_, height_, 3, rgb_.data(), width_ * 3))
    throw Error(path + ": could not encode the PNG");
  write_file_atomic(path, png);
}

}  // namespace lenet
