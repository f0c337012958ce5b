#pragma once
// The GEMM's body, written once, instantiated per instruction set (arch/*.cpp, each compiled
// with its own flags). BLIS-style: C is computed in NC-column by KC-deep blocks; op(B) is packed
// into panels of NR columns and op(A) into panels of MR rows, so the micro-kernel streams both
// from contiguous memory and keeps an MR x NR tile of C in registers (NR = 2 SIMD vectors).
//
// Everything but GemmArgs sits in an anonymous namespace: each arch's TU gets its own copy, so
// the linker can never merge an AVX-512 instantiation into the SSE2 path. Nothing from std:: is
// called in here for the same reason.

#include <cstddef>
#include <type_traits>


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

// A panel of P lanes (P = MR rows of op(A), or NR columns of op(B)), kc deep: out[p * P + r], zero
// for lanes r >= count so the micro-kernel never needs an edge case in its loop.

// The source lanes are contiguous: lane r of step p is src[p * ld + r] (op(A) transposed in
// memory, op(B) not). A plain copy.
template <std::size_t P>
void pack_copy(const float* src, std::size_t ld, std::size_t count, std::size_t kc, float* out) {
  if (count == P) {  // full panel: a fixed-length copy the compiler vectorises
    for (std::size_t p = 0; p < kc; ++p)
      for (std::size_t r = 0; r < P; ++r) out[p * P + r] = src[p * ld + r];
    return;
  }
  for (std::size_t p = 0; p < kc; ++p) {
    for (std::size_t r = 0; r < count; ++r) out[p * P + r] = src[p * ld + r];
    for (std::size_t r = count; r < P; ++r) out[p * P + r] = 0.0f;
  }
}

// 4 x 4 block transpose with a 4-float SIMD type: dst[q * dst_ld + r] = src[r * src_ld + q].
template <class Quad>
inline void transpose4(const float* src, std::size_t src_ld, float* dst, std::size_t dst_ld) {
  using Pair = decltype(bitwise_cast<double>(Quad(0.0f)));
  const Quad r0 = Quad::load_unaligned(src), r1 = Quad::load_unaligned(src + src_ld),
             r2 = Quad::load_unaligned(src + 2 * src_ld), r3 = Quad::load_unaligned(src + 3 * src_ld);
  // (a0 b0 a1 b1) (a2 b2 a3 b3) (c0 d0 c1 d1) (c2 d2 c3 d3), then pairs of floats as doubles.
  const Pair t0 = bitwise_cast<double>(zip_lo(r0, r1)), t1 = bitwise_cast<double>(zip_hi(r0, r1)),
             t2 = bitwise_cast<double>(zip_lo(r2, r3)), t3 = bitwise_cast<double>(zip_hi(r2, r3));
  bitwise_cast<float>(zip_lo(t0, t2)).store_unaligned(dst);
  bitwise_cast<float>(zip_hi(t0, t2)).store_unaligned(dst + dst_ld);
  bitwise_cast<float>(zip_lo(t1, t3)).store_unaligned(dst + 2 * dst_ld);
  bitwise_cast<float>(zip_hi(t1, t3)).store_unaligned(dst + 3 * dst_ld);
}

// The source lanes are strided: lane r of step p is src[r * ld + p] (op(A) as stored, op(B)
// transposed). A transpose: in 4 x 4 register blocks where a 4-float SIMD type (Quad) exists,
// else element by element (the scalar build).
template <std::size_t P, class Quad>
void pack_transposed(const float* src, std::size_t ld, std::size_t count, std::size_t kc, float* out) {
  std::size_t p = 0;
  if constexpr (!std::is_void_v<Quad>) {
    const std::size_t count4 = count / 4 * 4;
    for (; p + 4 <= kc; p += 4) {
      if (p % 16 == 0)  // each lane is a separate stream: fetch the next depth block's line now
        for (std::size_t r = 0; r < count; ++r) __builtin_prefetch(src + r * ld + p + kc_block);
      for (std::size_t r = 0; r < count4; r += 4) transpose4<Quad>(src + r * ld + p, ld, out + p * P + r, P);
    }
    for (std::size_t q = 0; q < p; ++q)  // lanes left over from the blocks of 4
      for (std::size_t r = count4; r < count; ++r) out[q * P + r] = src[r * ld + q];
  }
  for (std::size_t r = 0; r < count; ++r)
    for (std::size_t q = p; q < kc; ++q) out[q * P + r] = src[r * ld + q];
  for (std::size_t q = 0; q < kc; ++q)
    for (std::size_t r = count; r < P; ++r) out[q * P + r] = 0.0f;
}

// op(A)[i0.., p0..] (mc x kc) -> panels of MR rows.
template <std::size_t MR, class Quad>
void pack_a(const GemmArgs& g, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc, float* out) {
  for (std::size_t ir = 0; ir < mc; ir += MR) {
    const std::size_t rows = min_size(MR, mc - ir);
    if (g.trans_a)  // op(A)(i, p) = a[p * lda + i]
      pack_copy<MR>(g.a + p0 * g.lda + i0 + ir, g.lda, rows, kc, out + ir * kc);
    else  // op(A)(i, p) = a[i * lda + p]
      pack_transposed<MR, Quad>(g.a + (i0 + ir) * g.lda + p0, g.lda, rows, kc, out + ir * kc);
  }
}

// op(B)[p0.., j0..] (kc x nc) -> panels of NR columns.
template <std::size_t NR, class Quad>
void pack_b(const GemmArgs& g, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc, float* out) {
  for (std::size_t jr = 0; jr < nc; jr += NR) {
    const std::size_t cols = min_size(NR, nc - jr);
    if (g.trans_b)  // op(B)(p, j) = b[j * ldb + p]
      pack_transposed<NR, Quad>(g.b + (j0 + jr) * g.ldb + p0, g.ldb, cols, kc, out + jr * kc);
    else  // op(B)(p, j) = b[p * ldb + j]
      pack_copy<NR>(g.b + p0 * g.ldb + j0 + jr, g.ldb, cols, kc, out + jr * kc);
  }
}

// C tile (rows x cols, at most MR x NR) = alpha * (packed A panel x packed B panel) + beta * C,
// with NR = NV vectors: MR x NV accumulators stay in registers for the whole depth kc.
template <class Vec, std::size_t MR, std::size_t NV>
void micro_kernel(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, float alpha, float beta) {
  constexpr std::size_t W = Vec::size, NR = NV * W;
  Vec acc[MR][NV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = Vec(0.0f);
  for (std::size_t p = 0; p < kc; ++p) {
    Vec bv[NV];
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) bv[v] = Vec::load_aligned(b + p * NR + v * W);
#pragma GCC unroll 16
    for (std::size_t r = 0; r < MR; ++r) {
      const Vec ar(a[p * MR + r]);
#pragma GCC unroll 4
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = fma(ar, bv[v], acc[r][v]);
    }
  }
  const Vec va(alpha), vb(beta);
  if (rows == MR && cols == NR) {
#pragma GCC unroll 16
    for (std::size_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
      for (std::size_t v = 0; v < NV; ++v) {
        float* out = c + r * ldc + v * W;
        if (beta == 0.0f)
          (acc[r][v] * va).store_unaligned(out);
        else
          fma(acc[r][v], va, Vec::load_unaligned(out) * vb).store_unaligned(out);
      }
    return;
  }
  alignas(64) float tile[MR * NR];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) (acc[r][v] * va).store_aligned(tile + r * NR + v * W);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) {
      float& out = c[r * ldc + j];
      out = beta == 0.0f ? tile[r * NR + j] : tile[r * NR + j] + beta * out;
    }
}

// The whole product for one arch: Vec is its SIMD float type, MR x NV its register tile, Quad its
// 4-float type for the transposing packs (void: none).
template <class Vec, std::size_t MR, std::size_t NV, class Quad>
void gemm_blocked(const GemmArgs& g, float* pack_a_buf, float* pack_b_buf) {
  constexpr std::size_t NR = NV * Vec::size;
  constexpr std::size_t mc_max = mc_block / MR * MR, nc_max = nc_block / NR * NR;
  static_assert(MR <= max_mr && NR <= max_nr && mc_max > 0 && nc_max > 0);
  for (std::size_t j0 = 0; j0 < g.n; j0 += nc_max) {
    const std::size_t nc = min_size(nc_max, g.n - j0);
    for (std::size_t p0 = 0; p0 < g.k; p0 += kc_block) {
      const std::size_t kc = min_size(kc_block, g.k - p0);
      const float beta = p0 == 0 ? g.beta : 1.0f;  // later depth blocks accumulate
      pack_b<NR, Quad>(g, p0, kc, j0, nc, pack_b_buf);
      for (std::size_t i0 = 0; i0 < g.m; i0 += mc_max) {
        const std::size_t mc = min_size(mc_max, g.m - i0);
        pack_a<MR, Quad>(g, i0, mc, p0, kc, pack_a_buf);
        for (std::size_t jr = 0; jr < nc; jr += NR)
          for (std::size_t ir = 0; ir < mc; ir += MR)
            micro_kernel<Vec, MR, NV>(kc, pack_a_buf + ir * kc, pack_b_buf + jr * kc,
                                      g.c + (i0 + ir) * g.ldc + j0 + jr, g.ldc, min_size(MR, mc - ir),
                                      min_size(NR, nc - jr), g.alpha, beta);
      }
    }
  }
}

// Runs the instantiation whose MR wastes the fewest padded rows for this m (ties: the larger MR,
// which reuses each B panel more): LeNet's m = 20, 50 and 500 fit MR = 10 exactly, 128 fits 8.
template <class Vec, std::size_t NV, class Quad, std::size_t... MRs>
void gemm_best_mr(const GemmArgs& g, float* pack_a_buf, float* pack_b_buf) {
  constexpr std::size_t options[] = {MRs...};
  constexpr GemmFn fns[] = {&gemm_blocked<Vec, MRs, NV, Quad>...};
  auto padded = [&](std::size_t mr) { return (g.m + mr - 1) / mr * mr; };
  std::size_t best = 0;
  for (std::size_t i = 1; i < sizeof...(MRs); ++i)
    if (padded(options[i]) < padded(options[best]) ||
        (padded(options[i]) == padded(options[best]) && options[i] > options[best]))
      best = i;
  fns[best](g, pack_a_buf, pack_b_buf);
}

}  // namespace
}  // namespace lenet::gemm_detail
