#include "core/kernels/gemm.hpp"

#include <cstdlib>
#include <memory>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/kernels/arch/entry_points.hpp"

#ifdef LENET_GEMM_X86
#include <xsimd/xsimd.hpp>
#endif

namespace lenet {

namespace {

using gemm_detail::GemmFn;

struct Kernel {
  const char* name;
  GemmFn fn;
  gemm_detail::DirectConvFn conv;
};

// Every kernel this build has that this CPU can run, best first.
std::vector<Kernel> supported_kernels() {
  std::vector<Kernel> out;
#if defined(LENET_GEMM_X86)
  const auto cpu = xsimd::available_architectures();
  if (cpu.avx512f) out.push_back({"avx512f", gemm_detail::gemm_avx512, gemm_detail::direct_conv_avx512});
  if (cpu.fma3_avx2) out.push_back({"fma3<avx2>", gemm_detail::gemm_avx2, gemm_detail::direct_conv_avx2});
  out.push_back({"sse2", gemm_detail::gemm_sse2, gemm_detail::direct_conv_sse2});
  out.push_back({"scalar", gemm_detail::gemm_scalar, gemm_detail::direct_conv_scalar});
#elif defined(LENET_GEMM_WASM_SIMD)
  out.push_back({"wasm", gemm_detail::gemm_wasm_simd, gemm_detail::direct_conv_wasm_simd});
#else
  out.push_back({"scalar", gemm_detail::gemm_scalar, gemm_detail::direct_conv_scalar});
#endif
  return out;
}

Kernel& active_kernel() {
  static Kernel kernel = supported_kernels().front();
  return kernel;
}

struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float, AlignedFree>;

Buffer aligned_floats(std::size_t n) {
  void* p = std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64);
  if (!p) throw Error("out of memory for the GEMM's packing buffers");
  return Buffer(static_cast<float*>(p));
}

// C = alpha * A * B^T + beta * C for a few rows of A (a dense layer on one image: A = x, B = W),
// as dot products of contiguous rows. The packed kernel would copy and transpose all of B (the
// whole weight matrix, 4.9 MB for lenet's fc1) for a single row: this reads it once.
void few_rows_times_transposed(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                               std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                               std::size_t ldc) {
  constexpr std::size_t lanes = 16;  // independent partial sums: the compiler vectorises them
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const float* x = a + i * lda;
      const float* w = b + j * ldb;
      float partial[lanes] = {};
      std::size_t p = 0;
      for (; p + lanes <= k; p += lanes)
        for (std::size_t l = 0; l < lanes; ++l) partial[l] += x[p + l] * w[p + l];
      float sum = 0.0f;
      for (; p < k; ++p) sum += x[p] * w[p];
      for (std::size_t l = 0; l < lanes; ++l) sum += partial[l];
      float& out = c[i * ldc + j];
      out = beta == 0.0f ? alpha * sum : alpha * sum + beta * out;
    }
}

}  // namespace

void gemm(Trans trans_a, Trans trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0.0f) {  // no product: C = beta * C (never reading C when beta is 0)
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  if (m <= 2 && trans_a == Trans::no && trans_b == Trans::yes) {
    few_rows_times_transposed(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  if (n == 1 && ldb == 1 && ldc == 1 && trans_a == Trans::no && trans_b == Trans::no) {
    // A times one contiguous column (a convolution with a 1x1 output on one image, LeNet-5's
    // conv3): C^T = b^T * A^T, the same dot products, without packing all of A.
    few_rows_times_transposed(1, m, k, alpha, b, k, a, lda, beta, c, ldc);
    return;
  }
  // Packing buffers per thread: the trainer runs one GEMM per thread at a time.
  thread_local Buffer pack_a = aligned_floats(gemm_detail::pack_a_floats);
  thread_local Buffer pack_b = aligned_floats(gemm_detail::pack_b_floats);
  const gemm_detail::GemmArgs args{trans_a == Trans::yes, trans_b == Trans::yes, m, n, k, alpha, a, lda, b, ldb,
                                   beta, c, ldc};
  active_kernel().fn(args, pack_a.get(), pack_b.get());
}

gemm_detail::DirectConvFn gemm_detail::active_direct_conv() { return active_kernel().conv; }

const char* gemm_arch_name() { return active_kernel().name; }

std::vector<std::string> gemm_archs_available() {
  std::vector<std::string> names;
  for (const Kernel& k : supported_kernels()) names.push_back(k.name);
  return names;
}

void gemm_use_arch(const std::string& name) {
  for (const Kernel& k : supported_kernels())
    if (name == k.name) {
      active_kernel() = k;
      return;
    }
  throw Error("GEMM kernel '" + name + "' is not available on this CPU/build; available: " +
              join_names(gemm_archs_available()));
}

}  // namespace lenet
