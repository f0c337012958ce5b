#include "native_trainer/report/pictures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "native_trainer/report/canvas.hpp"

namespace lenet {

namespace {

constexpr Rgb ink{40, 40, 40}, grid{225, 225, 225}, train_colour{31, 119, 180}, val_colour{255, 127, 14},
    right_colour{30, 130, 60}, wrong_colour{200, 30, 30};

std::string fmt(double v, int decimals) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// A curve over epochs: values[i] at epochs[i] (1 = the end of the first epoch).
struct Series {
  std::string name;
  std::vector<double> epochs, values;
  Rgb colour;
  bool dots = true;  // a dot at each value (per-batch curves are lines only)
};

// One chart in the box (x0, y0)-(x1, y1): axes with ticks, a line (and dots) per series, a legend.
void line_chart(Canvas& c, double x0, double y0, double x1, double y1, const std::string& title,
                const std::vector<Series>& series) {
  const double left = x0 + 70, right = x1 - 20, top = y0 + 40, bottom = y1 - 50;
  double lo = 1e300, hi = -1e300, first = 1e300, last = -1e300;
  for (const Series& s : series)
    for (std::size_t i = 0; i < s.values.size(); ++i)
      if (std::isfinite(s.values[i])) {
        lo = std::min(lo, s.values[i]), hi = std::max(hi, s.values[i]);
        first = std::min(first, s.epochs[i]), last = std::max(last, s.epochs[i]);
      }
  if (first > last) return;
  if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
  const double pad = (hi - lo) * 0.05;
  lo -= pad, hi += pad;
  first = std::min(first, std::floor(first)), last = std::max(last, first + 1);  // at least one epoch wide
  auto px = [&](double epoch) { return left + (right - left) * (epoch - first) / (last - first); };
  auto py = [&](double v) { return bottom - (bottom - top) * (v - lo) / (hi - lo); };
  c.text(x0 + (x1 - x0 - Canvas::text_width(title, 2)) / 2, y0 + 8, title, 2, ink);
  for (int t = 0; t <= 5; ++t) {  // horizontal grid lines with values
    const double v = lo + (hi - lo) * t / 5, y = py(v);
    c.line(left, y, right, y, 1, grid);
    const std::string label = fmt(v, hi - lo < 0.05 ? 4 : 3);
    c.text(left - 8 - Canvas::text_width(label, 1) * 1.0, y - 4, label, 1, ink);
  }
  const std::size_t span = std::size_t(std::ceil(last - first)), step = std::max<std::size_t>(1, span / 10);
  for (std::size_t e = std::size_t(std::ceil(first)); double(e) <= last; e += step) {  // epochs along the bottom
    const std::string label = std::to_string(e);
    c.text(px(double(e)) - Canvas::text_width(label, 1) / 2.0, bottom + 8, label, 1, ink);
  }
  c.text((left + right) / 2 - Canvas::text_width("epoch", 1) / 2.0, bottom + 24, "epoch", 1, ink);
  c.line(left, bottom, right, bottom, 1.5, ink);
  c.line(left, top, left, bottom, 1.5, ink);
  double legend_x = left + 10;
  for (const Series& s : series) {
    for (std::size_t i = 0; i + 1 < s.values.size(); ++i)
      if (std::isfinite(s.values[i]) && std::isfinite(s.values[i + 1]))
        c.line(px(s.epochs[i]), py(s.values[i]), px(s.epochs[i + 1]), py(s.values[i + 1]), s.dots ? 2.5 : 1.5, s.colour);
    for (std::size_t i = 0; s.dots && i < s.values.size(); ++i)
      if (std::isfinite(s.values[i]))
        c.fill_rect(px(s.epochs[i]) - 3, py(s.values[i]) - 3, px(s.epochs[i]) + 3, py(s.values[i]) + 3, s.colour);
    c.fill_rect(legend_x, top + 6, legend_x + 18, top + 10, s.colour);
    c.text(legend_x + 24, top + 2, s.name, 1, ink);
    legend_x += 40 + Canvas::text_width(s.name, 1);
  }
}

}  // namespace

void draw_training_curves(const std::vector<EpochRecord>& history, const std::vector<BatchRecord>& batches,
                          const std::string& path) {
  Canvas c(1100, 440);
  Series loss{"train", {}, {}, train_colour}, val_loss{"validation", {}, {}, val_colour};
  Series acc = loss, val_acc = val_loss;
  for (const EpochRecord& r : history) {
    for (Series* s : {&loss, &val_loss, &acc, &val_acc}) s->epochs.push_back(double(r.epoch));
    loss.values.push_back(r.loss), val_loss.values.push_back(r.val_loss);
    acc.values.push_back(r.accuracy), val_acc.values.push_back(r.val_accuracy);
  }
  if (history.size() < 3 && !batches.empty()) {  // too few epochs for a curve: the running values within them
    loss = {"train (running, per batch)", {}, {}, train_colour, false};
    acc = loss;
    for (const BatchRecord& b : batches) {
      loss.epochs.push_back(b.epoch), loss.values.push_back(b.loss);
      acc.epochs.push_back(b.epoch), acc.values.push_back(b.accuracy);
    }
  }
  line_chart(c, 0, 0, 550, 440, "loss", {loss, val_loss});
  line_chart(c, 550, 0, 1100, 440, "accuracy", {acc, val_acc});
  c.save_png(path);
}

void draw_confusion_matrix(const ConfusionMatrix& m, const std::string& path, const std::string& title) {
  const int cell = 52, left = 90, top = 70, n = int(m.classes);
  Canvas c(left + n * cell + 30, top + n * cell + 60);
  c.text(left, 16, title, 2, ink);
  c.text(left + n * cell / 2 - 30, top - 22, "predicted", 1, ink);
  c.text(8, top + n * cell / 2, "true", 1, ink);
  for (int t = 0; t < n; ++t) {
    std::uint64_t row_total = 0;
    for (int p = 0; p < n; ++p) row_total += m.at(t, p);
    for (int p = 0; p < n; ++p) {
      // Shade by the share of the true class, so off-diagonal mistakes stand out at any size.
      const double share = row_total ? double(m.at(t, p)) / double(row_total) : 0.0;
      const double s = std::sqrt(share);
      const Rgb colour{std::uint8_t(255 - 230 * s), std::uint8_t(255 - 160 * s), std::uint8_t(255 - 60 * s)};
      c.fill_rect(left + p * cell, top + t * cell, left + (p + 1) * cell - 1, top + (t + 1) * cell - 1, colour);
      const std::string count = std::to_string(m.at(t, p));
      c.text(left + p * cell + (cell - Canvas::text_width(count, 1)) / 2.0, top + t * cell + cell / 2 - 4, count, 1,
             s > 0.6 ? Rgb{255, 255, 255} : ink);
    }
    c.text(left - 24, top + t * cell + cell / 2 - 6, std::to_string(t), 2, ink);
  }
  for (int p = 0; p < n; ++p) c.text(left + p * cell + cell / 2 - 5, top + n * cell + 10, std::to_string(p), 2, ink);
  c.save_png(path);
}

void draw_digit_grid(const std::vector<GridDigit>& digits, std::size_t columns, const std::string& title,
                     const std::string& path) {
  constexpr int zoom = 3, line_height = 12;
  int w = 0, h = 0;
  std::size_t lines = 1;
  for (const GridDigit& d : digits) {  // cells fit the largest image and the longest caption
    w = std::max(w, d.width * zoom);
    h = std::max(h, d.height * zoom);
    lines = std::max(lines, d.caption.size());
  }
  const int cell_w = w + 16, cell_h = h + 18 + line_height * int(lines);
  const std::size_t rows = std::max<std::size_t>(1, (digits.size() + columns - 1) / columns);
  Canvas c(std::max(int(columns) * cell_w + 16, Canvas::text_width(title, 2) + 20), int(rows) * cell_h + 50);
  c.text(10, 12, title, 2, ink);
  for (std::size_t k = 0; k < digits.size(); ++k) {
    const GridDigit& d = digits[k];
    const int x = 8 + int(k % columns) * cell_w + 8, y = 44 + int(k / columns) * cell_h;
    c.grey_image(x, y, d.grey.data(), d.width, d.height, zoom);
    for (std::size_t l = 0; l < d.caption.size(); ++l)
      c.text(x + (w - Canvas::text_width(d.caption[l], 1)) / 2.0, y + h + 6 + line_height * int(l), d.caption[l], 1,
             d.right ? right_colour : wrong_colour);
  }
  c.save_png(path);
}

void draw_digit_grid(const Dataset& data, const std::vector<std::uint8_t>& predictions,
                     const std::vector<std::size_t>& indices, std::size_t columns, const std::string& title,
                     const std::string& path) {
  std::vector<GridDigit> digits;
  digits.reserve(indices.size());
  for (std::size_t i : indices)
    digits.push_back({{data.image(i), data.image(i) + data.rows * data.cols},
                      int(data.cols),
                      int(data.rows),
                      {"pred " + std::to_string(predictions[i]) + " / true " + std::to_string(data.labels[i])},
                      predictions[i] == data.labels[i]});
  draw_digit_grid(digits, columns, title, path);
}

}  // namespace lenet
