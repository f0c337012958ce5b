#include "core/nn/layers/pool2d.hpp"

#include "core/kernels/elementwise.hpp"
#include "core/base/error.hpp"

namespace lenet {

Pool2D::Pool2D(const Shape& input, PoolKind kind, std::size_t window) : kind_(kind), k_(window) {
  if (input.size() != 3)
    throw Error(spec() + " needs an image input (channels x height x width), got " + shape_string(input));
  if (k_ == 0) throw Error("pooling window must be at least 1");
  c_ = input[0];
  h_ = input[1];
  w_ = input[2];
  if (h_ < k_ || w_ < k_)
    throw Error(spec() + " needs an input of at least " + std::to_string(k_) + "x" + std::to_string(k_) +
                ", got " + shape_string(input));
  oh_ = h_ / k_;
  ow_ = w_ / k_;
}

std::string Pool2D::spec() const {
  return std::string(kind_ == PoolKind::max ? "maxpool" : "avgpool") + "(" + std::to_string(k_) + ")";
}

void Pool2D::forward(const Tensor& x, Tensor& y) {
  const std::size_t planes = x.shape()[0] * c_;
  ensure_shape(y, {x.shape()[0], c_, oh_, ow_});
  if (kind_ == PoolKind::max) argmax_.resize(planes * oh_ * ow_);
  const float inv_area = 1.0f / static_cast<float>(k_ * k_);
  if (k_ == 2) {  // every LeNet: the same arithmetic and tie-breaking, without the window loops
    forward_2x2(x.data(), planes, y.data(), inv_area);
    return;
  }
  for (std::size_t p = 0; p < planes; ++p) {
    const float* in = x.data() + p * h_ * w_;
    float* out = y.data() + p * oh_ * ow_;
    for (std::size_t oy = 0; oy < oh_; ++oy)
      for (std::size_t ox = 0; ox < ow_; ++ox) {
        const bool max = kind_ == PoolKind::max;
        std::uint32_t best = 0;
        out[oy * ow_ + ox] = pool_window(in, int(w_), int(oy * k_ * w_ + ox * k_), int(k_), max, &best);
        if (max) argmax_[p * oh_ * ow_ + oy * ow_ + ox] = best;
      }
  }
}

void Pool2D::forward_2x2(const float* x, std::size_t planes, float* y, float inv_area) {
  for (std::size_t p = 0; p < planes; ++p) {
    const float* in = x + p * h_ * w_;
    float* out = y + p * oh_ * ow_;
    std::uint32_t* arg = kind_ == PoolKind::max ? argmax_.data() + p * oh_ * ow_ : nullptr;
    for (std::size_t oy = 0; oy < oh_; ++oy)
      for (std::size_t ox = 0; ox < ow_; ++ox) {
        const std::size_t at = 2 * oy * w_ + 2 * ox;
        const float a = in[at], b = in[at + 1], c = in[at + w_], d = in[at + w_ + 1];
        if (arg) {  // the first largest in the order (0,0) (0,1) (1,0) (1,1), as the general loop
          std::size_t best = at;
          float v = a;
          if (b > v) v = b, best = at + 1;
          if (c > v) v = c, best = at + w_;
          if (d > v) v = d, best = at + w_ + 1;
          out[oy * ow_ + ox] = v;
          arg[oy * ow_ + ox] = static_cast<std::uint32_t>(best);
        } else {
          out[oy * ow_ + ox] = (((a + b) + c) + d) * inv_area;
        }
      }
  }
}

void Pool2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  if (!dx) return;
  const std::size_t planes = x.shape()[0] * c_;
  ensure_shape_like(*dx, x);
  dx->fill(0.0f);
  const float inv_area = 1.0f / static_cast<float>(k_ * k_);
  for (std::size_t p = 0; p < planes; ++p) {
    const float* g = dy.data() + p * oh_ * ow_;
    float* d = dx->data() + p * h_ * w_;
    for (std::size_t oy = 0; oy < oh_; ++oy)
      for (std::size_t ox = 0; ox < ow_; ++ox) {
        const std::size_t o = oy * ow_ + ox;
        if (kind_ == PoolKind::max) {
          d[argmax_[p * oh_ * ow_ + o]] += g[o];
        } else {
          const std::size_t first = oy * k_ * w_ + ox * k_;
          for (std::size_t i = 0; i < k_; ++i)
            for (std::size_t j = 0; j < k_; ++j) d[first + i * w_ + j] += g[o] * inv_area;
        }
      }
  }
}

}  // namespace lenet
