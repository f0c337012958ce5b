#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.hpp"
#include "core/nn/init.hpp"

using namespace lenet;

namespace {

struct Moments {
  double mean = 0, stddev = 0, max_abs = 0;
};

Moments moments(const Tensor& t) {
  Moments m;
  double sum = 0, sum2 = 0;
  for (float v : t) {
    sum += v;
    sum2 += double(v) * v;
    m.max_abs = std::max(m.max_abs, double(std::fabs(v)));
  }
  const double n = double(t.size());
  m.mean = sum / n;
  m.stddev = std::sqrt(sum2 / n - m.mean * m.mean);
  return m;
}

}  // namespace

TEST_CASE("initialisers draw the spread Keras and TensorFlow define") {
  // A conv kernel, 50 filters over 20 channels, 5x5: Keras' fans are 20 * 25 in and 50 * 25 out
  // (50 out in 2016's Keras).
  const std::size_t fan_in = 500, fan_out = 1250, early_fan_out = 50;
  Tensor w = Tensor::from_shape({50, 20, 5, 5});
  Rng rng(11);
  struct Case {
    Init init;
    double bound;   // no weight beyond this
    double stddev;  // the distribution's standard deviation
  };
  const double glorot = std::sqrt(6.0 / double(fan_in + fan_out)), he = std::sqrt(6.0 / double(fan_in));
  const double early_glorot = std::sqrt(6.0 / double(fan_in + early_fan_out));
  // A normal truncated at two standard deviations keeps 0.8796 of its standard deviation.
  const Case cases[] = {{Init::glorot_uniform, glorot, glorot / std::sqrt(3.0)},
                        {Init::glorot_uniform_early_keras, early_glorot, early_glorot / std::sqrt(3.0)},
                        {Init::he_uniform, he, he / std::sqrt(3.0)},
                        {Init::he_normal, 2 * std::sqrt(2.0 / fan_in) / 0.8796, std::sqrt(2.0 / fan_in)},
                        {Init::truncated_normal, 0.2, 0.1 * 0.8796}};
  for (const Case& c : cases) {
    CAPTURE(init_name(c.init));
    initialize_weights(w, 20, 50, 25, c.init, rng);
    const Moments m = moments(w);
    CHECK(m.max_abs <= c.bound * (1 + 1e-6));
    CHECK(m.max_abs > 0.9 * c.bound);  // the whole range is used
    CHECK(std::fabs(m.mean) < 0.05 * c.stddev);
    CHECK(m.stddev == doctest::Approx(c.stddev).epsilon(0.03));
  }
}

TEST_CASE("initialisers go by name on the command line and in metadata") {
  for (Init init : {Init::glorot_uniform, Init::glorot_uniform_early_keras, Init::he_uniform, Init::he_normal,
                    Init::truncated_normal})
    CHECK(init_from_name(init_name(init)) == init);
  CHECK(std::string(init_name(Init::truncated_normal)) == "truncated-normal");
  CHECK_THROWS_WITH_AS(init_from_name("xavier"),
                       "unknown initialiser 'xavier'; initialisers are glorot-uniform, glorot-uniform-early-keras, he-uniform, "
                       "he-normal, truncated-normal",
                       Error);
}

TEST_CASE("the 2016 Keras variant changes conv kernels only: a dense layer's fans are its features") {
  Tensor a = Tensor::from_shape({500, 2450}), b = Tensor::from_shape({500, 2450});
  Rng ra(5), rb(5);
  initialize_weights(a, 2450, 500, 1, Init::glorot_uniform, ra);
  initialize_weights(b, 2450, 500, 1, Init::glorot_uniform_early_keras, rb);
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
}
