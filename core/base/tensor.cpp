#include "core/base/tensor.hpp"

#include <algorithm>

namespace lenet {

std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

std::string shape_string(const Shape& shape) {
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

Shape batch_shape(std::size_t n, const Shape& sample) {
  Shape s{n};
  s.insert(s.end(), sample.begin(), sample.end());
  return s;
}

void ensure_shape(Tensor& t, const Shape& shape) {
  if (t.dimension() == shape.size() && std::equal(shape.begin(), shape.end(), t.shape().begin())) return;
  t.resize(shape);
}

void ensure_shape_like(Tensor& t, const Tensor& like) {
  if (t.shape() != like.shape()) t.resize(like.shape());
}

}  // namespace lenet
