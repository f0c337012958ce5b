#pragma once
// A small RGB raster for the report's pictures: filled rectangles, thick lines, text (stb's
// easy_font, scaled) and grey images, saved as PNG (stb_image_write) atomically.

#include <cstdint>
#include <string>
#include <vector>

namespace lenet {

struct Rgb {
  std::uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int width, int height, Rgb background = {255, 255, 255});

  int width() const { return width_; }
  int height() const { return height_; }
  Rgb pixel(int x, int y) const;
  void fill_rect(double x0, double y0, double x1, double y1, Rgb color);
  void line(double x0, double y0, double x1, double y1, double thickness, Rgb color);
  // Text with its top-left corner at (x, y); scale 1 is stb_easy_font's ~7 px glyphs.
  void text(double x, double y, const std::string& s, int scale, Rgb color);
  static int text_width(const std::string& s, int scale);
  // A grey image (0 = black background, 255 = white ink shown dark on light, as a digit on paper).
  void grey_image(int x, int y, const std::uint8_t* pixels, int w, int h, int zoom);
  void save_png(const std::string& path) const;

 private:
  void blend(int x, int y, Rgb color, double alpha);
  int width_, height_;
  std::vector<std::uint8_t> rgb_;
};

}  // namespace lenet
