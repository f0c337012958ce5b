#pragma once
// The GEMM's body, written once, instantiated per instruction set (gemm_arch/*.cpp, each compiled
// with its own flags). BLIS-style: C is computed in NC-column by KC-deep blocks; op(B) is packed
// into panels of NR columns and op(A) into panels of MR rows, so the micro-kernel streams both
// from contiguous memory and keeps an MR x NR tile of C in registers (NR = 2 SIMD vectors).
//
// Everything but GemmArgs sits in an anonymous namespace: each arch's TU gets its own copy, so
// the linker can never merge an AVX-512 instantiation into the SSE2 path. Nothing from std:: is
// called in here for the same reason.

#include <cstddef>

#include "core/gemm.hpp"

namespace lenet::gemm_detail {

struct GemmArgs {
  bool trans_a, trans_b;
  std::size_t m, n, k;
  float alpha;
  const float* a;
  std::size_t lda;
  const float* b;
  std::size_t ldb;
  float beta;
  float* c;
  std::size_t ldc;
};

// Block sizes shared by every arch, so the dispatching TU can size the packing buffers.
inline constexpr std::size_t kc_block = 256;   // depth of a packed panel: a panel of B (kc x NR) stays in L1
inline constexpr std::size_t mc_block = 168;   // rows of A packed at once (rounded down to a multiple of MR): ~168 KiB in L2
inline constexpr std::size_t nc_block = 3072;  // columns of B packed at once (multiple of every NR): 3 MiB
inline constexpr std::size_t max_mr = 14, max_nr = 32;
inline constexpr std::size_t pack_a_floats = (mc_block + max_mr) * kc_block;
inline constexpr std::size_t pack_b_floats = (nc_block + max_nr) * kc_block;

using GemmFn = void (*)(const GemmArgs&, float* pack_a, float* pack_b);

namespace {

inline std::size_t min_size(std::size_t a, std::size_t b) { return a < b ? a : b; }

// op(A)[i0.., p0..] -> panels of MR rows: panel[p * MR + r] = alpha-free op(A)(i0 + r, p0 + p),
// zero past the last row so the micro-kernel never needs a row edge case.
template <std::size_t MR>
void pack_a(const GemmArgs& g, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc, float* out) {
  for (std::size_t ir = 0; ir < mc; ir += MR) {
    const std::size_t rows = min_size(MR, mc - ir);
    float* panel = out + ir * kc;
    if (g.trans_a) {  // op(A)(i, p) = a[p * lda + i]: rows are contiguous
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = g.a + (p0 + p) * g.lda + i0 + ir;
        float* dst = panel + p * MR;
        for (std::size_t r = 0; r < rows; ++r) dst[r] = src[r];
        for (std::size_t r = rows; r < MR; ++r) dst[r] = 0.0f;
      }
    } else {  // op(A)(i, p) = a[i * lda + p]: a transpose, in 16-deep slabs as in pack_b
      for (std::size_t ps = 0; ps < kc; ps += 16) {
        const std::size_t depth = min_size(16, kc - ps);
        for (std::size_t r = 0; r < rows; ++r) {
          const float* src = g.a + (i0 + ir + r) * g.lda + p0 + ps;
          float* dst = panel + ps * MR + r;
          for (std::size_t p = 0; p < depth; ++p) dst[p * MR] = src[p];
        }
        for (std::size_t r = rows; r < MR; ++r)
          for (std::size_t p = 0; p < depth; ++p) panel[(ps + p) * MR + r] = 0.0f;
      }
    }
  }
}

// op(B)[p0.., j0..] -> panels of NR columns: panel[p * NR + j] = op(B)(p0 + p, j0 + j), zero-padded.
template <std::size_t NR>
void pack_b(const GemmArgs& g, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc, float* out) {
  for (std::size_t jr = 0; jr < nc; jr += NR) {
    const std::size_t cols = min_size(NR, nc - jr);
    float* panel = out + jr * kc;
    if (!g.trans_b) {  // op(B)(p, j) = b[p * ldb + j]: columns are contiguous
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = g.b + (p0 + p) * g.ldb + j0 + jr;
        float* dst = panel + p * NR;
        for (std::size_t j = 0; j < cols; ++j) dst[j] = src[j];
        for (std::size_t j = cols; j < NR; ++j) dst[j] = 0.0f;
      }
    } else {  // op(B)(p, j) = b[j * ldb + p]: a transpose, done in 16-deep slabs so that both
              // the rows read and the panel lines written stay in L1
      for (std::size_t ps = 0; ps < kc; ps += 16) {
        const std::size_t depth = min_size(16, kc - ps);
        const float* src = g.b + (j0 + jr) * g.ldb + p0 + ps;
        for (std::size_t p = 0; p < depth; ++p) {
          float* dst = panel + (ps + p) * NR;
          for (std::size_t j = 0; j < cols; ++j) dst[j] = src[j * g.ldb + p];
          for (std::size_t j = cols; j < NR; ++j) dst[j] = 0.0f;
        }
      }
    }
  }
}

// C tile (rows x cols, at most MR x NR) = alpha * (packed A panel x packed B panel) + beta * C.
template <class Vec, std::size_t MR>
void micro_kernel(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, float alpha, float beta) {
  constexpr std::size_t W = Vec::size, NR = 2 * W;
  Vec acc0[MR], acc1[MR];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < MR; ++r) acc0[r] = acc1[r] = Vec(0.0f);
  for (std::size_t p = 0; p < kc; ++p) {
    const Vec b0 = Vec::load_aligned(b + p * NR), b1 = Vec::load_aligned(b + p * NR + W);
#pragma GCC unroll 16
    for (std::size_t r = 0; r < MR; ++r) {
      const Vec ar(a[p * MR + r]);
      acc0[r] = fma(ar, b0, acc0[r]);
      acc1[r] = fma(ar, b1, acc1[r]);
    }
  }
  const Vec va(alpha), vb(beta);
  if (rows == MR && cols == NR) {
#pragma GCC unroll 16
    for (std::size_t r = 0; r < MR; ++r) {
      float* row = c + r * ldc;
      if (beta == 0.0f) {
        (acc0[r] * va).store_unaligned(row);
        (acc1[r] * va).store_unaligned(row + W);
      } else {
        fma(acc0[r], va, Vec::load_unaligned(row) * vb).store_unaligned(row);
        fma(acc1[r], va, Vec::load_unaligned(row + W) * vb).store_unaligned(row + W);
      }
    }
    return;
  }
  alignas(64) float tile[MR * NR];
  for (std::size_t r = 0; r < MR; ++r) {
    (acc0[r] * va).store_aligned(tile + r * NR);
    (acc1[r] * va).store_aligned(tile + r * NR + W);
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) {
      float& out = c[r * ldc + j];
      out = beta == 0.0f ? tile[r * NR + j] : tile[r * NR + j] + beta * out;
    }
}

template <class Vec, std::size_t MR>
void gemm_blocked(const GemmArgs& g, float* pack_a_buf, float* pack_b_buf) {
  constexpr std::size_t NR = 2 * Vec::size;
  static_assert(MR <= max_mr && NR <= max_nr && nc_block % NR == 0);
  constexpr std::size_t mc_rows = mc_block / MR * MR;
  for (std::size_t j0 = 0; j0 < g.n; j0 += nc_block) {
    const std::size_t nc = min_size(nc_block, g.n - j0);
    for (std::size_t p0 = 0; p0 < g.k; p0 += kc_block) {
      const std::size_t kc = min_size(kc_block, g.k - p0);
      const float beta = p0 == 0 ? g.beta : 1.0f;  // later depth blocks accumulate
      pack_b<NR>(g, p0, kc, j0, nc, pack_b_buf);
        for (std::size_t i0 = 0; i0 < g.m; i0 += mc_rows) {
        const std::size_t mc = min_size(mc_rows, g.m - i0);
        pack_a<MR>(g, i0, mc, p0, kc, pack_a_buf);
        for (std::size_t jr = 0; jr < nc; jr += NR)
          for (std::size_t ir = 0; ir < mc; ir += MR)
            micro_kernel<Vec, MR>(kc, pack_a_buf + ir * kc, pack_b_buf + jr * kc, g.c + (i0 + ir) * g.ldc + j0 + jr,
                                  g.ldc, min_size(MR, mc - ir), min_size(NR, nc - jr), g.alpha, beta);
      }
    }
  }
}

// Runs the instantiation whose MR wastes the fewest padded rows for this m (ties: the larger MR,
// which reuses each B panel more): m = 20 or 50 or 500 fits MR = 10 exactly, 128 fits 8.
template <class Vec, std::size_t... MRs>
void gemm_best_mr(const GemmArgs& g, float* pack_a_buf, float* pack_b_buf) {
  constexpr std::size_t options[] = {MRs...};
  constexpr GemmFn fns[] = {&gemm_blocked<Vec, MRs>...};
  std::size_t best = 0;
  for (std::size_t i = 1; i < sizeof...(MRs); ++i) {
    const std::size_t rows = (g.m + options[i] - 1) / options[i] * options[i];
    const std::size_t best_rows = (g.m + options[best] - 1) / options[best] * options[best];
    if (rows < best_rows || (rows == best_rows && options[i] > options[best])) best = i;
  }
  fns[best](g, pack_a_buf, pack_b_buf);
}

}  // namespace
}  // namespace lenet::gemm_detail
