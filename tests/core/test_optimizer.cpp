#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/optimizer.hpp"

using namespace lenet;

namespace {
Parameter scalar_param(float value, float grad) {
  Parameter p{"w", Tensor::from_shape({1}), Tensor::from_shape({1})};
  p.value(0) = value;
  p.grad(0) = grad;
  return p;
}
}  // namespace

TEST_CASE("sgd: plain, momentum and nesterov steps match hand-computed values") {
  Parameter p = scalar_param(1.0f, 0.5f);
  Sgd plain({&p}, {.learning_rate = 0.1f});
  plain.step();
  CHECK(p.value(0) == doctest::Approx(0.95f));  // 1 - 0.1 * 0.5

  p = scalar_param(1.0f, 0.5f);
  Sgd momentum({&p}, {.learning_rate = 0.1f, .momentum = 0.9f});
  momentum.step();  // v = -0.05, w = 0.95
  CHECK(p.value(0) == doctest::Approx(0.95f));
  momentum.step();  // v = 0.9 * -0.05 - 0.05 = -0.095, w = 0.855
  CHECK(p.value(0) == doctest::Approx(0.855f));
  CHECK(momentum.state().size() == 1);
  CHECK(momentum.state()[0].first == "momentum.w");
  CHECK((*momentum.state()[0].second)(0) == doctest::Approx(-0.095f));

  p = scalar_param(1.0f, 0.5f);
  Sgd nesterov({&p}, {.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true});
  nesterov.step();  // v = -0.05, w += 0.9 * -0.05 - 0.05 = -0.095
  CHECK(p.value(0) == doctest::Approx(0.905f));

  p = scalar_param(2.0f, 0.5f);
  Sgd decay({&p}, {.learning_rate = 0.1f, .weight_decay = 0.1f});
  decay.step();  // g = 0.5 + 0.1 * 2 = 0.7, w = 2 - 0.07
  CHECK(p.value(0) == doctest::Approx(1.93f));
}

TEST_CASE("adam: Keras' update with bias correction, two steps by hand") {
  Parameter p = scalar_param(1.0f, 0.5f);
  Adam adam({&p}, {});
  adam.step();
  // t=1: m = 0.05, v = 0.00025, alpha = 0.001 * sqrt(0.001) / 0.1 = 3.16228e-4,
  // w -= alpha * 0.05 / (0.0158114 + 1e-7) = 0.00099999
  CHECK(p.value(0) == doctest::Approx(1.0 - 0.00099999).epsilon(1e-6));
  adam.step();
  // t=2: m = 0.095, v = 0.00049975, alpha = 0.001 * sqrt(0.001999) / 0.19 = 2.353166e-4,
  // w -= alpha * 0.095 / (0.0223551 + 1e-7) = 0.00099999
  CHECK(p.value(0) == doctest::Approx(1.0 - 2 * 0.00099999).epsilon(1e-6));
  CHECK(adam.steps() == 2);
  CHECK(adam.state().size() == 2);
  CHECK(adam.state()[0].first == "adam_m.w");
  CHECK((*adam.state()[0].second)(0) == doctest::Approx(0.095f));
}

TEST_CASE("learning-rate schedules: constant stays, cosine anneals from the base rate to 0") {
  using lenet::LrSchedule;
  CHECK(lenet::scheduled_learning_rate(LrSchedule::constant, 0.01f, 50, 100) == 0.01f);
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, 0, 100) == doctest::Approx(0.002f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, 50, 100) == doctest::Approx(0.001f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, 25, 100) == doctest::Approx(0.001f * (1 + std::sqrt(0.5))));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, 99, 100) < 1e-6f);
  CHECK(lenet::lr_schedule_from_name("cosine") == LrSchedule::cosine);
  CHECK(std::string(lenet::lr_schedule_name(LrSchedule::constant)) == "constant");
  CHECK_THROWS_WITH_AS(lenet::lr_schedule_from_name("step"), "unknown learning-rate schedule 'step'; use constant or cosine",
                       lenet::Error);
}
