#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/base/error.hpp"
#include "core/kernels/gemm.hpp"
#include "core/base/random.hpp"

using namespace lenet;

namespace {

// C = alpha op(A) op(B) + beta C in double precision, the textbook loop.
void reference_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                    std::size_t lda, const float* b, std::size_t ldb, float beta, const float* c_in, float* c,
                    std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p)
        s += double(ta ? a[p * lda + i] : a[i * lda + p]) * double(tb ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = float(alpha * s + (beta == 0.0f ? 0.0 : double(beta) * c_in[i * ldc + j]));
    }
}

// Runs one case with leading dimensions padded beyond the matrix, and checks every element
// (including that the padding around C was not written).
void check_case(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha, float beta, Rng& rng) {
  const std::size_t pad = 3;
  const std::size_t lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
  std::vector<float> a((ta ? k : m) * lda), b((tb ? n : k) * ldb), c(m * ldc), want(m * ldc);
  for (auto& v : a) v = rng.uniform(-1, 1);
  for (auto& v : b) v = rng.uniform(-1, 1);
  for (auto& v : c) v = beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : rng.uniform(-1, 1);
  want = c;
  reference_gemm(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), want.data(), ldc);
  gemm(ta ? Trans::yes : Trans::no, tb ? Trans::yes : Trans::no, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta,
       c.data(), ldc);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < ldc; ++j) {
      const float got = c[i * ldc + j], expect = want[i * ldc + j];
      if (j >= n) {  // padding: untouched (NaN stays NaN)
        if (!(std::isnan(got) && std::isnan(expect)) && got != expect) ++bad;
        continue;
      }
      if (!(std::fabs(got - expect) <= 1e-5f * float(k + 1) + 1e-5f * std::fabs(expect))) ++bad;
    }
  INFO("m=", m, " n=", n, " k=", k, " trans_a=", ta, " trans_b=", tb, " alpha=", alpha, " beta=", beta);
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("gemm matches a double-precision loop for awkward sizes, every transpose case, on every kernel") {
  const std::size_t sizes[] = {1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 67};
  for (const std::string& arch : gemm_archs_available()) {
    CAPTURE(arch);
    gemm_use_arch(arch);
    Rng rng(31);
    for (std::size_t m : sizes)
      for (std::size_t n : sizes) {
        // Every (m, n) pair with a k and a transpose case that rotate through all the options.
        const std::size_t k = sizes[(m * 7 + n * 3) % 15];
        const int t = int((m + 2 * n) % 4);
        check_case(t & 1, t & 2, m, n, k, 1.0f, 0.0f, rng);
      }
    for (int t = 0; t < 4; ++t)
      for (std::size_t k : sizes) check_case(t & 1, t & 2, 19, 37, k, 0.5f, -1.5f, rng);
  }
  gemm_use_arch(gemm_archs_available().front());
}

TEST_CASE("gemm with one or two rows times a transposed B, or A times one column: dot products") {
  Rng rng(33);
  const std::size_t depths[] = {1, 5, 15, 16, 17, 33, 2450};
  for (std::size_t m : {1u, 2u, 3u})  // 3 takes the packed kernel again
    for (std::size_t k : depths) {
      check_case(false, true, m, 37, k, 1.0f, 0.0f, rng);  // a dense layer on one or two images
      check_case(false, true, m, 5, k, 0.5f, -1.5f, rng);
    }
  // A convolution with a 1x1 output on one image: one column, tightly packed (ld 1), as conv2d
  // calls it; check_case pads every leading dimension, so it is checked here directly.
  for (std::size_t m : {1u, 7u, 120u})
    for (std::size_t k : depths)
      for (float beta : {0.0f, -1.5f}) {
        std::vector<float> a(m * k), x(k), y(m), want(m);
        for (auto& v : a) v = rng.uniform(-1, 1);
        for (auto& v : x) v = rng.uniform(-1, 1);
        for (std::size_t i = 0; i < m; ++i) {
          y[i] = want[i] = rng.uniform(-1, 1);
          double sum = 0;
          for (std::size_t p = 0; p < k; ++p) sum += double(a[i * k + p]) * x[p];
          want[i] = float(0.5 * sum + beta * want[i]);
        }
        gemm(Trans::no, Trans::no, m, 1, k, 0.5f, a.data(), k, x.data(), 1, beta, y.data(), 1);
        for (std::size_t i = 0; i < m; ++i) REQUIRE(std::fabs(y[i] - want[i]) <= 1e-5f * float(k + 1));
      }
}

TEST_CASE("gemm blocks: sizes beyond one cache block in every dimension") {
  for (const std::string& arch : gemm_archs_available()) {
    CAPTURE(arch);
    gemm_use_arch(arch);
    Rng rng(32);
    check_case(false, false, 200, 3100, 300, 1.0f, 0.0f, rng);  // m > mc, n > nc, k > kc
    for (int t = 0; t < 4; ++t)  // k > kc in every transpose case (the packs transpose or copy)
      check_case(t & 1, t & 2, 170, 41, 520, 2.0f, 1.0f, rng);
  }
  gemm_use_arch(gemm_archs_available().front());
}

TEST_CASE("gemm edge cases: empty sizes, k = 0 scales C, alpha = 0, unknown kernel names") {
  float c[4] = {1, 2, 3, 4};
  const float a[1] = {5}, b[1] = {7};
  gemm(Trans::no, Trans::no, 2, 2, 0, 1.0f, a, 1, b, 2, 0.5f, c, 2);
  CHECK(c[3] == 2.0f);
  gemm(Trans::no, Trans::no, 2, 2, 1, 0.0f, a, 1, b, 2, 0.0f, c, 2);
  CHECK(c[0] == 0.0f);
  gemm(Trans::no, Trans::no, 0, 2, 1, 1.0f, a, 1, b, 2, 0.0f, c, 2);  // nothing to do, nothing touched
  CHECK_THROWS_WITH_AS(gemm_use_arch("mmx"), doctest::Contains("not available"), Error);
  CHECK(std::string(gemm_arch_name()) == gemm_archs_available().front());
}
