// PLACEHOLDER naive loop, replaced by the packed xsimd kernel.
#include "gemm.hpp"
namespace lenet {
void gemm(Trans ta, Trans tb, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      float s = 0;
      for (std::size_t p = 0; p < k; ++p)
        s += (ta == Trans::yes ? a[p * lda + i] : a[i * lda + p]) * (tb == Trans::yes ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
    }
}
const char* gemm_arch_name() { return "naive"; }
}
