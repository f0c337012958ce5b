#include <doctest/doctest.h>

#include "core/base/random.hpp"

TEST_CASE("rng: same seed gives the same stream, uniform below 1, normal has unit moments") {
  lenet::Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) CHECK(a.next_u64() == b.next_u64());
  CHECK(a.next_u64() != c.next_u64());
  lenet::Rng r(7);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const float u = r.uniform();
    REQUIRE(u >= 0.0f);
    REQUIRE(u < 1.0f);
    const double z = r.normal();
    sum += z;
    sum2 += z * z;
  }
  CHECK(sum / n == doctest::Approx(0.0).epsilon(0.01).scale(1.0));
  CHECK(sum2 / n == doctest::Approx(1.0).epsilon(0.02));
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) ++counts[r.below(3)];
  for (int k : counts) CHECK(k == doctest::Approx(10000).epsilon(0.05));
}
