#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/nn/optimizer.hpp"

using namespace lenet;

namespace {
Parameter scalar_param(float value, float grad) {
  Parameter p{"w", {1}, Tensor::from_shape({1}), Tensor::from_shape({1})};
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
  auto at = [](std::size_t step, std::size_t total) { return lenet::ScheduleState{.step = step, .total_steps = total}; };
  CHECK(lenet::scheduled_learning_rate(LrSchedule::constant, 0.01f, at(50, 100)) == 0.01f);
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, at(0, 100)) == doctest::Approx(0.002f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, at(50, 100)) == doctest::Approx(0.001f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, at(25, 100)) == doctest::Approx(0.001f * (1 + std::sqrt(0.5))));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::cosine, 0.002f, at(99, 100)) < 1e-6f);
  CHECK(lenet::lr_schedule_from_name("cosine") == LrSchedule::cosine);
  CHECK(std::string(lenet::lr_schedule_name(LrSchedule::constant)) == "constant");
  CHECK_THROWS_WITH_AS(lenet::lr_schedule_from_name("linear"),
                       "unknown learning-rate schedule 'linear'; use constant, cosine, step or plateau", lenet::Error);
  for (const std::string& name : lenet::lr_schedule_names())
    CHECK(lenet::lr_schedule_name(lenet::lr_schedule_from_name(name)) == name);
}

TEST_CASE("learning-rate schedules: step divides by 10 every N epochs, plateau by its factor") {
  using lenet::LrSchedule;
  auto after = [](std::size_t epochs) { return lenet::ScheduleState{.epochs_done = epochs, .every = 10}; };
  CHECK(lenet::scheduled_learning_rate(LrSchedule::step, 0.1f, after(0)) == doctest::Approx(0.1f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::step, 0.1f, after(9)) == doctest::Approx(0.1f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::step, 0.1f, after(10)) == doctest::Approx(0.01f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::step, 0.1f, after(25)) == doctest::Approx(0.001f));
  CHECK(lenet::scheduled_learning_rate(LrSchedule::plateau, 0.1f, {.plateau_factor = 0.01f}) == doctest::Approx(0.001f));
}

TEST_CASE("patience: the best value so far and how long since it") {
  lenet::Patience p;
  CHECK(p.observe(0.5));
  CHECK_FALSE(p.observe(0.6));
  CHECK_FALSE(p.observe(0.5));  // equal is no improvement (Keras' min_delta 0)
  CHECK(p.waited == 2);
  CHECK(p.observe(0.4));
  CHECK(p.best == 0.4);
  CHECK(p.best_at == 4);
  CHECK(p.waited == 0);
  CHECK_FALSE(p.observe(std::nan("")));
  CHECK(p.waited == 1);
}

TEST_CASE("adamw: the weights shrink by lr x decay before Adam's step, and nothing changes without it") {
  lenet::Parameter p = scalar_param(2.0f, 0.0f);  // no gradient: only the decay moves the weight
  lenet::Adam adamw({&p}, lenet::AdamConfig{.learning_rate = 0.01f, .decoupled_weight_decay = 0.1f});
  adamw.step();
  CHECK(p.value(0) == doctest::Approx(2.0f * (1 - 0.01f * 0.1f)));
  lenet::Parameter q = scalar_param(2.0f, 0.0f);
  lenet::Adam adam({&q}, lenet::AdamConfig{.learning_rate = 0.01f});
  adam.step();
  CHECK(q.value(0) == 2.0f);
}

TEST_CASE("an update split into ranges (as threads do it) equals step(), bit for bit") {
  auto make = [](float seed) {
    std::vector<Parameter> params;
    for (std::size_t n : {7u, 1u, 20u}) {
      Parameter p{std::string(1, char('a' + params.size())), {n}, Tensor::from_shape({n}), Tensor::from_shape({n})};
      for (std::size_t i = 0; i < n; ++i) {
        p.value(i) = std::sin(seed + float(i));
        p.grad(i) = std::cos(seed * float(i + 1));
      }
      params.push_back(std::move(p));
    }
    return params;
  };
  auto pointers = [](std::vector<Parameter>& ps) {
    std::vector<Parameter*> out;
    for (auto& p : ps) out.push_back(&p);
    return out;
  };
  for (int kind = 0; kind < 2; ++kind) {
    std::vector<Parameter> whole = make(0.3f), split = make(0.3f);
    std::unique_ptr<Optimizer> a, b;
    if (kind == 0) {
      const SgdConfig c{.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true, .weight_decay = 0.01f};
      a = std::make_unique<Sgd>(pointers(whole), c);
      b = std::make_unique<Sgd>(pointers(split), c);
    } else {
      a = std::make_unique<Adam>(pointers(whole), AdamConfig{});
      b = std::make_unique<Adam>(pointers(split), AdamConfig{});
    }
    REQUIRE(b->size() == 28);
    for (int step = 0; step < 3; ++step) {
      a->step();
      b->begin_step();
      b->update(13, 28);  // out of order, and across parameter boundaries
      b->update(0, 5);
      b->update(5, 13);
    }
    CHECK(a->steps() == b->steps());
    for (std::size_t p = 0; p < whole.size(); ++p)
      for (std::size_t i = 0; i < whole[p].value.size(); ++i) REQUIRE(whole[p].value(i) == split[p].value(i));
  }
  std::vector<std::size_t> seen;
  std::vector<Parameter> ps = make(1.0f);
  for_each_span(pointers(ps), 6, 9, [&](std::size_t i, std::size_t first, std::size_t last) {
    seen.insert(seen.end(), {i, first, last});
  });
  CHECK(seen == std::vector<std::size_t>{0, 6, 7, 1, 0, 1, 2, 0, 1});
}
