#pragma once
// Tensors are xtensor arrays of float32, row-major. Activations are NCHW for images and
// N x features after flatten; parameters follow PyTorch's shapes (conv [out,in,kh,kw], dense [out,in]).
// Hot loops take .data() and work on raw memory; xtensor is for clarity at the edges.

#include <cstddef>
#include <string>
#include <vector>

#include <cstdint>
#include <optional>

#include <xtensor/xarray.hpp>

namespace lenet {

using Tensor = xt::xarray<float>;
// The shape of one sample, without the batch axis: {C, H, W} or {features}.
using Shape = std::vector<std::size_t>;

std::size_t shape_size(const Shape& shape);

// The product of `sizes` (any range of unsigned integers: a shape, a file's dimensions), or nothing
// when it exceeds `limit`: checked before each multiplication, so that no product can wrap around
// (a spec may ask for input(999999999,999999999,999999999), a file header for anything). A zero
// size makes the product 0.
template <class Sizes>
std::optional<std::uint64_t> product_within(const Sizes& sizes, std::uint64_t limit) {
  for (const auto size : sizes)
    if (size == 0) return 0;
  std::uint64_t product = 1;
  for (const auto size : sizes) {
    if (product > limit / size) return std::nullopt;
    product *= size;
  }
  return product;
}
inline bool shape_size_within(const Shape& shape, std::size_t limit) { return product_within(shape, limit).has_value(); }

// Bounds on what an architecture may ask for, checked before anything is allocated, so that
// neither a model file's spec nor --arch can make a reader allocate gigabytes (in the page, a tab
// that dies). Generous for this project's networks: the largest preset (lenet) has 1,256,080
// parameters, and the largest activation of any preset is 25,088 values per image (lenet-web's
// first convolution, 32 x 28 x 28).
inline constexpr std::size_t max_parameters = std::size_t{1} << 24;         // 16.8 M, 64 MB as float32
inline constexpr std::size_t max_values_per_sample = std::size_t{1} << 24;  // 16.8 M per layer and image
// "1x28x28"
std::string shape_string(const Shape& shape);
// {n, sample...}
Shape batch_shape(std::size_t n, const Shape& sample);
// Gives t this shape; keeps its allocation when the element count does not change, so that
// per-batch buffers are allocated once.
void ensure_shape(Tensor& t, const Shape& shape);
void ensure_shape_like(Tensor& t, const Tensor& like);

}  // namespace lenet
