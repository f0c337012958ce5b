// The report's training curves: a run of one epoch draws a curve, not a lone dot.
#include <doctest/doctest.h>

#include <memory>

#include <stb/stb_image.h>

#include "native_trainer/report/pictures.hpp"
#include "support/tmp_path.hpp"

namespace {

// Pixels tinted by the training curve's colour (matplotlib's blue, as report_pictures draws
// "train"; anti-aliased edges included): clearly more blue than red.
int training_curve_pixels(const std::string& png) {
  int w = 0, h = 0, channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> rgb(stbi_load(png.c_str(), &w, &h, &channels, 3), stbi_image_free);
  REQUIRE(rgb);
  int n = 0;
  for (int i = 0; i < w * h; ++i) n += int(rgb.get()[3 * i + 2]) - int(rgb.get()[3 * i]) > 60;
  return n;
}

}  // namespace

TEST_CASE("a one-epoch run's curves show the running loss and accuracy within the epoch") {
  const std::vector<lenet::EpochRecord> one_epoch = {{1, 0.55, 0.83, 0.20, 0.94, 2.0, 3000}};
  std::vector<lenet::BatchRecord> batches;
  for (int b = 1; b <= 100; ++b) batches.push_back({b / 100.0, 2.3 - 1.7 * b / 100.0, 0.1 + 0.7 * b / 100.0});
  const std::string with_batches = lenet::testing::tmp_path("curves_batches.png");
  const std::string epochs_only = lenet::testing::tmp_path("curves_epoch.png");
  lenet::draw_training_curves(one_epoch, batches, with_batches);
  lenet::draw_training_curves(one_epoch, {}, epochs_only);
  const int curve = training_curve_pixels(with_batches), dot = training_curve_pixels(epochs_only);
  CAPTURE(curve);
  CAPTURE(dot);
  CHECK(curve > 1000);  // two charts, each a line across the plot
  CHECK(dot < 400);     // a dot per chart and the legend (216 px): what a one-epoch report showed before
}

TEST_CASE("a long run's curves are per epoch") {
  std::vector<lenet::EpochRecord> history;
  for (std::size_t e = 1; e <= 20; ++e) history.push_back({e, 1.0 / double(e), 1 - 0.5 / double(e), 1.2 / double(e), 0.9, 1, 1});
  const std::string png = lenet::testing::tmp_path("curves_long.png");
  lenet::draw_training_curves(history, {{0.5, 9, 0}, {1, 9, 0}}, png);  // batch values would leave the plot's range
  CHECK(training_curve_pixels(png) > 1000);
}
