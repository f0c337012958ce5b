#pragma once
// The direct convolution's body, written once, instantiated per instruction set next to the GEMM
// (arch/*.cpp, each compiled with its own flags; gemm_use_arch selects both).
//
// One image, stride 1, over an input already zero-padded (direct_conv.cpp): no im2col buffer, no
// packing of the input. A register tile holds MR output channels x NV vectors of consecutive
// output columns of one output row; each step of the depth (input channel, kernel row, kernel
// column: one flat loop through a table of input offsets) loads NV vectors of input (unaligned,
// shifted by the kernel column) and broadcasts MR weights. The MR channels' weights are
// interleaved ([depth][MR]) into a small buffer before their tiles, from PyTorch's layout on every
// call: it stays in L1 while the tiles sweep the image, costs one pass over the weights per
// image, and leaves no second copy of the weights that training could make stale.
//
// As in gemm_kernel.hpp, everything but the argument struct is in an anonymous namespace, so each
// arch's TU keeps its own copy, and nothing from std:: is called in here.

#include <cstddef>

namespace lenet::gemm_detail {

struct DirectConvArgs {
  // [in][padded_h][padded_w], zero borders, followed by direct_conv_slack floats: a tile's
  // vectors may run past the end of a row (into the next row, or the slack), into lanes that
  // are never stored.
  const float* x;
  std::size_t in, padded_w, kernel;
  const float* weight;  // [out][in][kernel][kernel]
  // [in * kernel * kernel]: where step (c, ki, kj) of the depth reads, relative to the output
  // pixel's corner in x: (c * padded_h + ki) * padded_w + kj.
  const unsigned* offsets;
  float* pack;  // scratch for direct_conv_pack_rows x depth floats
  const float* bias;    // [out]
  std::size_t out, out_h, out_w;
  float* y;  // [out][out_h][out_w]
};

// Floats past the padded input that a tile may read: NV x the widest vector (16 floats).
inline constexpr std::size_t direct_conv_slack = 4 * 16;

// The most output channels a tile has (the widest MR below).
inline constexpr std::size_t direct_conv_pack_rows = 8;

using DirectConvFn = void (*)(const DirectConvArgs&);

namespace {

inline std::size_t dc_min(std::size_t a, std::size_t b) { return a < b ? a : b; }

// Output channels [o0, o0 + rows) (rows <= MR; their weights interleaved in a.pack, missing
// rows repeat the last one and are not stored), output row oy, columns [ox0, ox0 + NV * W)
// clipped to out_w.
template <class Vec, std::size_t MR, std::size_t NV>
void direct_tile(const DirectConvArgs& a, std::size_t o0, std::size_t rows, std::size_t oy, std::size_t ox0) {
  constexpr std::size_t W = Vec::size;
  const std::size_t depth = a.in * a.kernel * a.kernel;
  Vec acc[MR][NV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < MR; ++r)
#pragma GCC unroll 8
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = Vec(a.bias[o0 + dc_min(r, rows - 1)]);
  const float* x = a.x + oy * a.padded_w + ox0;
  const float* w = a.pack;
  for (std::size_t p = 0; p < depth; ++p, w += MR) {
    const float* at = x + a.offsets[p];
    Vec xv[NV];
#pragma GCC unroll 8
    for (std::size_t v = 0; v < NV; ++v) xv[v] = Vec::load_unaligned(at + v * W);
#pragma GCC unroll 16
    for (std::size_t r = 0; r < MR; ++r) {
      const Vec wv(w[r]);
#pragma GCC unroll 8
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = fma(wv, xv[v], acc[r][v]);
    }
  }
  const std::size_t cols = dc_min(NV * W, a.out_w - ox0), plane = a.out_h * a.out_w;
  for (std::size_t r = 0; r < rows; ++r) {
    float* out = a.y + (o0 + r) * plane + oy * a.out_w + ox0;
    if (cols == NV * W) {
#pragma GCC unroll 8
      for (std::size_t v = 0; v < NV; ++v) acc[r][v].store_unaligned(out + v * W);
      continue;
    }
    alignas(64) float tile[NV * W];
    for (std::size_t v = 0; v < NV; ++v) acc[r][v].store_aligned(tile + v * W);
    for (std::size_t j = 0; j < cols; ++j) out[j] = tile[j];
  }
}

// Every tile, output channels outermost: a tile's MR rows of weights stay in L1 while it sweeps
// the image.
template <class Vec, std::size_t MR, std::size_t NV>
void direct_conv_tiled(const DirectConvArgs& a) {
  constexpr std::size_t lanes = NV * Vec::size;
  static_assert(MR <= direct_conv_pack_rows);
  const std::size_t depth = a.in * a.kernel * a.kernel;
  for (std::size_t o0 = 0; o0 < a.out; o0 += MR) {
    const std::size_t rows = dc_min(MR, a.out - o0);
    for (std::size_t r = 0; r < MR; ++r) {
      const float* src = a.weight + (o0 + dc_min(r, rows - 1)) * depth;
      for (std::size_t p = 0; p < depth; ++p) a.pack[p * MR + r] = src[p];
    }
    for (std::size_t oy = 0; oy < a.out_h; ++oy)
      for (std::size_t ox0 = 0; ox0 < a.out_w; ox0 += lanes)
        direct_tile<Vec, MR, NV>(a, o0, rows, oy, ox0);
  }
}

// Runs the tile shape that issues the fewest instructions for this layer: per tile and depth step
// MR x NV multiply-adds (two instructions where there is no FMA, as in wasm), MR broadcasts and
// NV loads; tiles are counted with the lanes and rows they waste past out_w and out. Every shape
// keeps MR x NV + NV + 1 <= 13 vectors live: within 16 registers (SSE2, AVX2, SIMD128 under V8).
template <class Vec>
void direct_conv_best(const DirectConvArgs& a) {
  struct Shape {
    std::size_t mr, nv;
    DirectConvFn fn;
  };
  constexpr Shape shapes[] = {{8, 1, &direct_conv_tiled<Vec, 8, 1>},
                              {4, 2, &direct_conv_tiled<Vec, 4, 2>},
                              {3, 3, &direct_conv_tiled<Vec, 3, 3>},
                              {2, 4, &direct_conv_tiled<Vec, 2, 4>}};
  auto cost = [&](const Shape& s) {
    const std::size_t lanes = s.nv * Vec::size;
    const std::size_t tiles = (a.out + s.mr - 1) / s.mr * ((a.out_w + lanes - 1) / lanes);
    return tiles * (2 * s.mr * s.nv + s.mr + s.nv);
  };
  const Shape* best = &shapes[0];
  for (const Shape& s : shapes)
    if (cost(s) < cost(*best)) best = &s;
  best->fn(a);
}

}  // namespace
}  // namespace lenet::gemm_detail
