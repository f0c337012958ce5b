#pragma once
// Tensors are xtensor arrays of float32, row-major. Activations are NCHW for images and
// N x features after flatten; parameters follow PyTorch's shapes (conv [out,in,kh,kw], dense [out,in]).
// Hot loops take .data() and work on raw memory; xtensor is for clarity at the edges.

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace lenet {

using Tensor = xt::xarray<float>;
// The shape of one sample, without the batch axis: {C, H, W} or {features}.
using Shape = std::vector<std::size_t>;

std::size_t shape_size(const Shape& shape);
// "1x28x28"
std::string shape_string(const Shape& shape);
// {n, sample...}
Shape batch_shape(std::size_t n, const Shape& sample);
// Gives t this shape; keeps its allocation when the element count does not change, so that
// per-batch buffers are allocated once.
void ensure_shape(Tensor& t, const Shape& shape);
void ensure_shape_like(Tensor& t, const Tensor& like);

}  // namespace lenet
