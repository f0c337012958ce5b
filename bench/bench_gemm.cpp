// GFLOP/s of the project's GEMM on the products LeNet trains with (batch 128), next to OpenBLAS
// sgemm on one thread in the same run (natively), and as a fraction of the machine's peak.
//
// Usage: lenet_bench_gemm [--peak GFLOPS] [--arch NAME] [--only NAME] [--seconds S]
//   --peak     per-core FP32 peak to compare with (default: 237 natively, AVX-512 FMA; 63 in
//              wasm, 128-bit mul+add); /work/shared/peers/limits/run_limits.sh measures it.
//   --arch     force one of our kernels (default: the best this CPU has)
//   --only     run only the products whose name contains NAME (e.g. "conv2")
//   --seconds  time budget per product and library (default 0.5)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/kernels/gemm.hpp"
#include "core/base/random.hpp"

#ifdef LENET_BENCH_OPENBLAS
#include <cblas.h>
#endif

namespace {

struct Shape {
  const char* name;
  bool ta, tb;
  std::size_t m, n, k;
};

// Row-major; A is m x k unless transposed (then k x m), likewise B.
const Shape shapes[] = {
    {"conv1 fwd  W x col", false, false, 20, 100352, 25},
    {"conv1 dW   dY x col^T", false, true, 20, 25, 100352},
    {"conv2 fwd  W x col", false, false, 50, 25088, 500},
    {"conv2 dW   dY x col^T", false, true, 50, 500, 25088},
    {"conv2 dcol W^T x dY", true, false, 500, 25088, 50},
    {"fc1 fwd    X x W^T", false, true, 128, 500, 2450},
    {"fc1 dW     dY^T x X", true, false, 500, 2450, 128},
    {"fc1 dX     dY x W", false, false, 128, 2450, 500},
};

// Median seconds per call over repeated timed runs, after a warm-up.
double time_call(const std::function<void()>& call, double budget_seconds) {
  using clock = std::chrono::steady_clock;
  call();
  std::vector<double> runs;
  const auto start = clock::now();
  while (runs.size() < 5 || (std::chrono::duration<double>(clock::now() - start).count() < budget_seconds && runs.size() < 200)) {
    const auto t0 = clock::now();
    call();
    runs.push_back(std::chrono::duration<double>(clock::now() - t0).count());
  }
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
#ifdef __EMSCRIPTEN__
  double peak = 63.0;
  const char* peak_what = "128-bit mul+add peak, 1 core";
#else
  double peak = 237.0;
  const char* peak_what = "AVX-512 FMA peak, 1 core";
#endif
  double seconds = 0.5;
  std::string only;  // run only the products whose name contains this
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--peak" && i + 1 < argc) peak = std::atof(argv[++i]);
    else if (arg == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (arg == "--arch" && i + 1 < argc) lenet::gemm_use_arch(argv[++i]);
    else if (arg == "--only" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--peak GFLOPS] [--arch NAME] [--seconds S] [--only NAME]\n", argv[0]);
      return 2;
    }
  }
  std::printf("GEMM benchmark, LeNet shapes at batch 128; our kernel: %s; peak %.0f GFLOP/s (%s)\n",
              lenet::gemm_arch_name(), peak, peak_what);
#ifdef LENET_BENCH_OPENBLAS
  openblas_set_num_threads(1);
  std::printf("peer: OpenBLAS %s, 1 thread, core %s\n", OPENBLAS_VERSION, openblas_get_corename());
  std::printf("%-24s %6s %6s %6s | %9s %9s %6s | %6s\n", "product", "M", "N", "K", "ours", "OpenBLAS", "ratio",
              "%peak");
#else
  std::printf("%-24s %6s %6s %6s | %9s | %6s\n", "product", "M", "N", "K", "ours", "%peak");
#endif
  lenet::Rng rng(5);
  double geo_peak = 0, count = 0;
#ifdef LENET_BENCH_OPENBLAS
  double geo_ratio = 0;
#endif
  for (const Shape& s : shapes) {
    if (std::string(s.name).find(only) == std::string::npos) continue;
    ++count;
    std::vector<float> a(s.m * s.k), b(s.k * s.n), c(s.m * s.n), c_peer(s.m * s.n);
    for (auto& v : a) v = rng.uniform(-1, 1);
    for (auto& v : b) v = rng.uniform(-1, 1);
    const std::size_t lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
    const double flops = 2.0 * double(s.m) * double(s.n) * double(s.k);
    const double ours = flops / time_call([&] {
      lenet::gemm(s.ta ? lenet::Trans::yes : lenet::Trans::no, s.tb ? lenet::Trans::yes : lenet::Trans::no, s.m, s.n,
                  s.k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), s.n);
    }, seconds) / 1e9;
    geo_peak += std::log(ours / peak);
#ifdef LENET_BENCH_OPENBLAS
    const double blas = flops / time_call([&] {
      cblas_sgemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans, s.tb ? CblasTrans : CblasNoTrans, int(s.m), int(s.n),
                  int(s.k), 1.0f, a.data(), int(lda), b.data(), int(ldb), 0.0f, c_peer.data(), int(s.n));
    }, seconds) / 1e9;
    geo_ratio += std::log(ours / blas);
    // A fast wrong answer is worth nothing: both products must agree to float rounding.
    double worst = 0;
    for (std::size_t i = 0; i < c.size(); ++i) worst = std::max(worst, double(std::fabs(c[i] - c_peer[i])));
    if (worst > 1e-5 * double(s.k)) std::printf("WARNING: %s differs from OpenBLAS by %g\n", s.name, worst);
    std::printf("%-24s %6zu %6zu %6zu | %9.1f %9.1f %6.2f | %5.1f%%\n", s.name, s.m, s.n, s.k, ours, blas, ours / blas,
                100 * ours / peak);
#else
    std::printf("%-24s %6zu %6zu %6zu | %9.1f | %5.1f%%\n", s.name, s.m, s.n, s.k, ours, 100 * ours / peak);
#endif
  }
#ifdef LENET_BENCH_OPENBLAS
  std::printf("geometric mean: ours/OpenBLAS %.2f, %.1f%% of peak\n", std::exp(geo_ratio / count),
              100 * std::exp(geo_peak / count));
#else
  std::printf("geometric mean: %.1f%% of peak\n", 100 * std::exp(geo_peak / count));
#endif
  return 0;
}
