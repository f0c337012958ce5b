#pragma once
// Shared helpers for the layer tests: random tensors and a central finite-difference check of a
// layer's backward pass against its forward pass.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"

namespace lenet::testing {

inline Tensor random_tensor(const Shape& shape, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  Tensor t = Tensor::from_shape(shape);
  for (auto& v : t) v = rng.uniform(lo, hi);
  return t;
}

// Biases are zero after initialisation: set them to small random values so that tests also
// check how they are used.
inline void randomize_biases(const std::vector<Parameter*>& params, Rng& rng) {
  for (Parameter* p : params)
    if (p->name.find("bias") != std::string::npos)
      for (auto& v : p->value) v = rng.uniform(-0.1f, 0.1f);
}

// |a - b| <= atol + rtol * max(|a|, |b|)
inline bool close(double a, double b, double atol, double rtol) {
  return std::fabs(a - b) <= atol + rtol * std::max(std::fabs(a), std::fabs(b));
}

// L(x) = sum(forward(x) * r) for a fixed random r, so dL/dy = r. Checks dL/dx and dL/dparams
// from backward() against (L(v + eps) - L(v - eps)) / 2 eps, at up to max_checks positions each.
inline void check_layer_gradients(Layer& layer, Tensor x, Rng& rng, std::size_t max_checks = 60) {
  Tensor y;
  layer.forward(x, y);
  const Tensor r = random_tensor(Shape(y.shape().begin(), y.shape().end()), rng);
  Tensor dx;
  layer.backward(x, y, r, &dx);
  REQUIRE(dx.shape() == x.shape());

  auto loss = [&] {
    Tensor out;
    layer.forward(x, out);
    double s = 0;
    for (std::size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out.data()[i]) * r.data()[i];
    return s;
  };
  auto check = [&](float* values, std::size_t n, const float* analytic, const std::string& what) {
    const std::size_t stride = std::max<std::size_t>(1, n / max_checks);
    for (std::size_t i = 0; i < n; i += stride) {
      const float eps = 1e-2f;
      const float saved = values[i];
      values[i] = saved + eps;
      const double plus = loss();
      values[i] = saved - eps;
      const double minus = loss();
      values[i] = saved;
      const double numeric = (plus - minus) / (2.0 * eps);
      INFO(what, " index ", i, ": analytic ", analytic[i], " numeric ", numeric);
      CHECK(close(analytic[i], numeric, 2e-3, 2e-2));
    }
  };
  check(x.data(), x.size(), dx.data(), "dL/dx");
  for (Parameter* p : layer.parameters()) {
    const Tensor grad = p->grad;  // forward() in the loss may not touch it, but keep a copy anyway
    check(p->value.data(), p->value.size(), grad.data(), p->name);
  }
}

}  // namespace lenet::testing
