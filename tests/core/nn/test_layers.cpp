#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/nn/layers/activation.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/layers/dense.hpp"
#include "core/nn/layers/pool2d.hpp"
#include "support/layer_checks.hpp"

using namespace lenet;
using lenet::testing::check_layer_gradients;
using lenet::testing::close;
using lenet::testing::random_tensor;

namespace {

// Direct convolution, the textbook loop.
Tensor naive_conv(const Tensor& x, const Tensor& w, const Tensor& b, std::size_t pad) {
  const std::size_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], wd = x.shape()[3];
  const std::size_t o = w.shape()[0], k = w.shape()[2];
  const std::size_t oh = h + 2 * pad - k + 1, ow = wd + 2 * pad - k + 1;
  Tensor y = Tensor::from_shape({n, o, oh, ow});
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t oc = 0; oc < o; ++oc)
      for (std::size_t i = 0; i < oh; ++i)
        for (std::size_t j = 0; j < ow; ++j) {
          double acc = b(oc);
          for (std::size_t ic = 0; ic < c; ++ic)
            for (std::size_t ki = 0; ki < k; ++ki)
              for (std::size_t kj = 0; kj < k; ++kj) {
                const long yi = long(i + ki) - long(pad), xj = long(j + kj) - long(pad);
                if (yi < 0 || xj < 0 || yi >= long(h) || xj >= long(wd)) continue;
                acc += double(w(oc, ic, ki, kj)) * x(s, ic, yi, xj);
              }
          y(s, oc, i, j) = float(acc);
        }
  return y;
}

void check_all_close(const Tensor& got, const Tensor& want, double atol = 1e-4, double rtol = 1e-4) {
  REQUIRE(got.shape() == want.shape());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!close(got.data()[i], want.data()[i], atol, rtol)) ++bad;
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("conv2d forward matches a direct convolution on random shapes and paddings") {
  Rng rng(1);
  struct Case { std::size_t n, c, h, w, out, k, pad; };
  const Case cases[] = {{2, 1, 28, 28, 6, 5, 2}, {3, 3, 9, 7, 4, 3, 1}, {1, 2, 5, 5, 3, 5, 0},
                        {2, 4, 6, 8, 5, 1, 0},  {1, 1, 3, 4, 2, 5, 2}, {5, 6, 14, 14, 16, 5, 0},
                        {2, 16, 5, 5, 12, 5, 0}, {1, 2, 7, 6, 3, 3, 3},
                        // kernels wider than the image, "same" and beyond: some kernel columns only
                        // ever meet padding (im2col read past each row here before; found by fuzz_spec)
                        {1, 2, 4, 3, 2, 9, 4},   {2, 1, 3, 3, 2, 7, 6}};
  for (const auto& t : cases) {
    CAPTURE(t.n); CAPTURE(t.c); CAPTURE(t.h); CAPTURE(t.w); CAPTURE(t.out); CAPTURE(t.k); CAPTURE(t.pad);
    Conv2D conv({t.c, t.h, t.w}, t.out, t.k, t.pad, std::to_string(t.pad), "conv1");
    conv.allocate_parameters();
    conv.initialize(Init::glorot_uniform, rng);
    for (auto& v : conv.parameters()[1]->value) v = rng.uniform(-1, 1);  // non-zero bias
    const Tensor x = random_tensor({t.n, t.c, t.h, t.w}, rng);
    Tensor y;
    conv.forward(x, y);
    check_all_close(y, naive_conv(x, conv.parameters()[0]->value, conv.parameters()[1]->value, t.pad));
  }
}

TEST_CASE("conv2d backward matches finite differences") {
  Rng rng(2);
  for (std::size_t pad : {0u, 1u, 2u}) {
    CAPTURE(pad);
    Conv2D conv({2, 6, 5}, 3, 3, pad, std::to_string(pad), "conv1");
    conv.allocate_parameters();
    conv.initialize(Init::glorot_uniform, rng);
    check_layer_gradients(conv, random_tensor({2, 2, 6, 5}, rng), rng);
  }
  Conv2D wide({1, 3, 2}, 2, 7, 3, "same", "conv1");  // a 7x7 kernel on a 3x2 image: col2im's edge case
  wide.allocate_parameters();
  wide.initialize(Init::glorot_uniform, rng);
  check_layer_gradients(wide, random_tensor({2, 1, 3, 2}, rng), rng);
}

TEST_CASE("dense forward matches the textbook product and backward matches finite differences") {
  Rng rng(3);
  Dense dense({3, 2, 2}, 5, "fc1");  // an image input is flattened in NCHW order
  dense.allocate_parameters();
  dense.initialize(Init::he_normal, rng);
  for (auto& v : dense.parameters()[1]->value) v = rng.uniform(-1, 1);
  const Tensor x = random_tensor({4, 3, 2, 2}, rng);
  Tensor y;
  dense.forward(x, y);
  const Tensor& w = dense.parameters()[0]->value;
  const Tensor& b = dense.parameters()[1]->value;
  Tensor want = Tensor::from_shape({4, 5});
  for (std::size_t s = 0; s < 4; ++s)
    for (std::size_t o = 0; o < 5; ++o) {
      double acc = b(o);
      for (std::size_t i = 0; i < 12; ++i) acc += double(w(o, i)) * x.data()[s * 12 + i];
      want(s, o) = float(acc);
    }
  check_all_close(y, want);
  check_layer_gradients(dense, random_tensor({4, 12}, rng), rng);
}

TEST_CASE("max and average pooling forward match a direct loop, backward matches finite differences") {
  Rng rng(4);
  for (PoolKind kind : {PoolKind::max, PoolKind::average}) {
    for (std::size_t k : {2u, 3u}) {
      CAPTURE(k);
      Pool2D pool({3, 7, 6}, kind, k);  // odd sizes: the last row/column is dropped
      const Tensor x = random_tensor({2, 3, 7, 6}, rng);
      Tensor y;
      pool.forward(x, y);
      REQUIRE(y.shape() == std::vector<std::size_t>{2, 3, 7 / k, 6 / k});
      for (std::size_t s = 0; s < 2; ++s)
        for (std::size_t c = 0; c < 3; ++c)
          for (std::size_t i = 0; i < 7 / k; ++i)
            for (std::size_t j = 0; j < 6 / k; ++j) {
              float best = -1e30f, sum = 0;
              for (std::size_t a = 0; a < k; ++a)
                for (std::size_t b = 0; b < k; ++b) {
                  best = std::max(best, x(s, c, i * k + a, j * k + b));
                  sum += x(s, c, i * k + a, j * k + b);
                }
              CHECK(y(s, c, i, j) == doctest::Approx(kind == PoolKind::max ? best : sum / float(k * k)));
            }
      check_layer_gradients(pool, random_tensor({2, 3, 7, 6}, rng), rng);
    }
  }
}

TEST_CASE("relu, tanh and sigmoid forward and backward") {
  Rng rng(5);
  for (ActivationKind kind : {ActivationKind::relu, ActivationKind::tanh, ActivationKind::sigmoid}) {
    Activation act({2, 3, 3}, kind);
    const Tensor x = random_tensor({2, 2, 3, 3}, rng, -3, 3);
    Tensor y;
    act.forward(x, y);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float v = x.data()[i];
      const float want = kind == ActivationKind::relu   ? std::max(v, 0.0f)
                         : kind == ActivationKind::tanh ? std::tanh(v)
                                                        : 1.0f / (1.0f + std::exp(-v));
      CHECK(y.data()[i] == doctest::Approx(want).epsilon(1e-6));
    }
    check_layer_gradients(act, x, rng);
  }
  // tanh and sigmoid are rational approximations (vectorisable): within 5e-7 of the exact
  // functions everywhere, saturating to exactly +-1 / 0..1, and NaN stays NaN.
  const std::size_t steps = 8001;
  Tensor sweep = Tensor::from_shape({1, 1, 1, steps + 1});
  for (std::size_t i = 0; i < steps; ++i) sweep.data()[i] = -40.0f + 0.01f * float(i);
  sweep.data()[steps] = std::numeric_limits<float>::quiet_NaN();
  for (ActivationKind kind : {ActivationKind::tanh, ActivationKind::sigmoid}) {
    Activation act({1, 1, steps + 1}, kind);
    Tensor y;
    act.forward(sweep, y);
    double worst = 0;
    for (std::size_t i = 0; i < steps; ++i) {
      const double v = sweep.data()[i];
      const double exact = kind == ActivationKind::tanh ? std::tanh(v) : 1.0 / (1.0 + std::exp(-v));
      worst = std::max(worst, std::abs(double(y.data()[i]) - exact));
      REQUIRE(std::abs(y.data()[i]) <= 1.0f);
    }
    CHECK(worst < 5e-7);
    CHECK(std::isnan(y.data()[steps]));
  }

  Flatten flat({2, 3, 3});
  const Tensor x = random_tensor({2, 2, 3, 3}, rng);
  Tensor y;
  flat.forward(x, y);
  CHECK(y.shape() == std::vector<std::size_t>{2, 18});
  CHECK(y(1, 17) == x(1, 1, 2, 2));
  check_layer_gradients(flat, x, rng);
}
