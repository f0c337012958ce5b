#include "core/nn/layers/dense.hpp"

#include <algorithm>

#include "core/base/error.hpp"
#include "core/kernels/gemm.hpp"
#include "core/nn/init.hpp"

namespace lenet {

Dense::Dense(const Shape& input, std::size_t units, std::string param_prefix)
    : in_(shape_size(input)), out_(units) {
  if (out_ == 0) throw Error("dense needs at least one unit");
  weight_ = {param_prefix + ".weight", {out_, in_}, {}, {}};
  bias_ = {param_prefix + ".bias", {out_}, {}, {}};
}

void Dense::initialize(Init init, Rng& rng) {
  initialize_weights(weight_.value, in_, out_, 1, init, rng);
  bias_.value.fill(0.0f);
}

void Dense::forward(const Tensor& x, Tensor& y) {
  const std::size_t n = x.shape()[0];
  ensure_shape(y, {n, out_});
  const float* b = bias_.value.data();
  for (std::size_t i = 0; i < n; ++i) std::copy(b, b + out_, y.data() + i * out_);
  gemm(Trans::no, Trans::yes, n, out_, in_, 1.0f, x.data(), in_, weight_.value.data(), in_, 1.0f, y.data(), out_);
}

void Dense::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  const std::size_t n = x.shape()[0];
  // dW = dY^T X, db = column sums of dY, dX = dY W
  gemm(Trans::yes, Trans::no, out_, in_, n, 1.0f, dy.data(), out_, x.data(), in_, 0.0f, weight_.grad.data(), in_);
  float* db = bias_.grad.data();
  std::fill(db, db + out_, 0.0f);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t o = 0; o < out_; ++o) db[o] += dy.data()[i * out_ + o];
  if (dx) {
    ensure_shape_like(*dx, x);
    gemm(Trans::no, Trans::no, n, in_, out_, 1.0f, dy.data(), out_, weight_.value.data(), in_, 0.0f, dx->data(), in_);
  }
}

}  // namespace lenet
