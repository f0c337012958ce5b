// Where one image's inference goes: first the drawing's preprocessing (rasterise and the MNIST
// recipe, the part of the page's per-drawing work that no network shares), then for each preset, the time of classify_digit (the page's and
// `lenet-train predict`'s path) on the network alone, then with the not-a-digit judgement on a drawn
// 7 (what the page adds per drawing), and of each layer on one image, and for each convolution the
// same layer on a batch (im2col + GEMM) per image, for comparison with the direct path one image takes.
// GFLOP/s count 2 per multiply-add; --peak sets the arithmetic ceiling to compare with.
//
// Usage: lenet_bench_one_image [--arch NAME] [--peak GFLOPS] [--seconds S]
//   --arch     force one of the kernels (default: the best this CPU has)
//   --peak     one core's FP32 ceiling (default 38: wasm SIMD128 in Chromium on this machine,
//              /work/shared/peers/limits/run_limits.sh; natively pass the native figure)
//   --seconds  time budget per measurement (default 0.2)

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/kernels/direct_conv.hpp"
#include "core/ink/drawing.hpp"
#include "core/kernels/gemm.hpp"
#include "core/read/inference.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/layers/dense.hpp"
#include "core/nn/network.hpp"
#include "core/ink/preprocess.hpp"
#include "core/base/random.hpp"

using namespace lenet;

namespace {

double seconds_budget = 0.2;

// Median-free but robust enough on a shared machine: the best of several timed rounds, in ms.
template <class F>
double best_ms(F&& f) {
  using clock = std::chrono::steady_clock;
  f();  // warm the caches and the scratch buffers
  double best = 1e30;
  const auto deadline = clock::now() + std::chrono::duration<double>(seconds_budget);
  do {
    int reps = 0;
    const auto start = clock::now();
    do {
      f();
      ++reps;
    } while (clock::now() - start < std::chrono::milliseconds(5));
    best = std::min(best, std::chrono::duration<double, std::milli>(clock::now() - start).count() / reps);
  } while (clock::now() < deadline);
  return best;
}

// Multiply-adds of one image through a layer with `inputs` values per image (convolutions and
// dense layers; the rest: 0).
double macs(const Layer& l, std::size_t inputs) {
  if (const auto* c = dynamic_cast<const Conv2D*>(&l)) {
    const ConvGeometry g = c->geometry();
    return double(g.out_channels) * g.out_height * g.out_width * g.in_channels * g.kernel * g.kernel;
  }
  if (dynamic_cast<const Dense*>(&l)) return double(inputs) * l.output_shape()[0];
  return 0;
}

// A 7 as a pen draws it on the page's 280 px pad: the bar, then the stem.
Drawing seven_strokes() {
  Drawing d;
  d.width = d.height = 280;
  d.pen_width = 18;
  d.strokes = {{{80, 70}, {140, 68}, {200, 72}}, {{200, 72}, {170, 140}, {145, 210}}};
  return d;
}

// The judgement's cost depends on the ink (it traces it), so it is timed on a digit, not on the
// random pixels.
Digit28 drawn_seven() { return preprocess_drawing(seven_strokes()); }

// The same strokes with a point every `step` canvas px, as the page's pointer events record them:
// the rasteriser's cost grows with the segments.
Drawing densified(const Drawing& d, float step) {
  Drawing out = d;
  for (auto& stroke : out.strokes) {
    std::vector<Point> points{stroke.front()};
    for (std::size_t k = 1; k < stroke.size(); ++k) {
      const Point a = stroke[k - 1], b = stroke[k];
      const int pieces = std::max(1, static_cast<int>(std::ceil(std::hypot(b.x - a.x, b.y - a.y) / step)));
      for (int i = 1; i <= pieces; ++i) {
        const float t = static_cast<float>(i) / static_cast<float>(pieces);
        points.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
      }
    }
    stroke = std::move(points);
  }
  return out;
}

// The network-independent part of the page's per-drawing work: rasterise the strokes, then the
// MNIST recipe (crop, scale, centre).
void bench_drawing() {
  const Drawing seven = densified(seven_strokes(), 2);
  std::size_t points = 0;
  for (const auto& stroke : seven.strokes) points += stroke.size();
  const double ms = best_ms([&] { preprocess_drawing(seven); });
  std::printf("preprocess_drawing (rasterise, crop, scale, centre) of a drawn 7, %zu points: %.4f ms\n", points, ms);
}

void bench_preset(const std::string& name, const std::string& spec, double peak) {
  Network net(spec);
  Rng rng(1);
  net.initialize(rng);
  Digit28 digit;
  for (auto& p : digit.pixels) p = rng.uniform();
  digit.empty = false;
  const Normalization norm{0.1307f, 0.3081f};
  Tensor in = Tensor::from_shape({1, net.input_shape()[0], net.input_shape()[1], net.input_shape()[2]});
  for (auto& v : in) v = rng.uniform();
  net.forward(in);
  double total_macs = 0;
  for (std::size_t i = 0; i < net.layer_count(); ++i)
    total_macs += macs(net.layer(i), i == 0 ? in.size() : net.activation(i - 1).size());
  const double classify = best_ms([&] { classify_digit(net, norm, digit, Judge::network_alone); });
  std::printf("\n%s: classify_digit %.4f ms, %.2f M multiply-adds, %.1f GFLOP/s = %.0f %% of %.0f\n", name.c_str(),
              classify, total_macs / 1e6, 2 * total_macs / classify / 1e6, 100 * 2 * total_macs / classify / 1e6 / peak,
              peak);
  const Digit28 seven = drawn_seven();
  const double judged = best_ms([&] { classify_digit(net, norm, seven, Judge::plausibility); });
  std::printf("  with the not-a-digit judgement, on a drawn 7: %.4f ms\n", judged);
  std::printf("  %-24s %10s %10s %14s\n", "layer (one image)", "ms", "GFLOP/s", "batch, per img");
  net.forward(in);
  for (std::size_t i = 0; i < net.layer_count(); ++i) {
    auto layer = net.layer(i).clone();
    const Tensor& input = i == 0 ? in : net.activation(i - 1);
    Tensor out;
    const double ms = best_ms([&] { layer->forward(input, out); });
    const double m = macs(*layer, input.size());
    std::printf("  %-24s %10.4f %10.1f", layer->spec().c_str(), ms, m > 0 ? 2 * m / ms / 1e6 : 0.0);
    if (dynamic_cast<const Conv2D*>(layer.get())) {  // the same layer through im2col + GEMM
      const std::size_t n = direct_conv_max_images + 1;
      Shape shape(input.shape().begin(), input.shape().end());
      shape[0] = n;
      Tensor many = Tensor::from_shape(shape);
      for (std::size_t s = 0; s < n; ++s) std::copy(input.begin(), input.end(), many.begin() + s * input.size());
      std::printf(" %14.4f", best_ms([&] { layer->forward(many, out); }) / n);
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  double peak = 38;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--arch" && i + 1 < argc)
      gemm_use_arch(argv[++i]);
    else if (a == "--peak" && i + 1 < argc)
      peak = std::atof(argv[++i]);
    else if (a == "--seconds" && i + 1 < argc)
      seconds_budget = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: lenet_bench_one_image [--arch NAME] [--peak GFLOPS] [--seconds S]\n");
      return 2;
    }
  }
  std::printf("kernel: %s\n", gemm_arch_name());
  bench_drawing();
  for (const auto& [name, spec] : arch_presets()) bench_preset(name, spec, peak);
}
