#include "core/nn/layers/conv2d.hpp"

#include <algorithm>
#include <cstring>

#include "core/base/error.hpp"
#include "core/kernels/gemm.hpp"
#include "core/nn/init.hpp"

namespace lenet {

Conv2D::Conv2D(const Shape& input, std::size_t out_channels, std::size_t kernel, std::size_t padding,
               std::string padding_name, std::string param_prefix)
    : out_(out_channels), k_(kernel), pad_(padding), padding_name_(std::move(padding_name)) {
  if (input.size() != 3)
    throw Error("conv needs an image input (channels x height x width), got " + shape_string(input));
  in_ = input[0];
  h_ = input[1];
  w_ = input[2];
  if (k_ == 0 || out_ == 0) throw Error("conv needs at least one output channel and a kernel size of at least 1");
  if (h_ + 2 * pad_ < k_ || w_ + 2 * pad_ < k_)
    throw Error("conv(" + std::to_string(out_) + "," + std::to_string(k_) + ") needs an input of at least " +
                std::to_string(k_) + "x" + std::to_string(k_) + " after padding, got " + shape_string(input));
  oh_ = h_ + 2 * pad_ - k_ + 1;
  ow_ = w_ + 2 * pad_ - k_ + 1;
  // im2col unrolls each output pixel's k x k x in inputs: bounded like any activation.
  if (!shape_size_within({in_, k_, k_, oh_, ow_}, max_values_per_sample))
    throw Error("conv(" + std::to_string(out_) + "," + std::to_string(k_) + ") would unroll more than " +
                std::to_string(max_values_per_sample) + " values per image of " + shape_string(input));
  weight_ = {param_prefix + ".weight", {out_, in_, k_, k_}, {}, {}};
  bias_ = {param_prefix + ".bias", {out_}, {}, {}};
}

std::string Conv2D::spec() const {
  return "conv(" + std::to_string(out_) + "," + std::to_string(k_) + "," + padding_name_ + ")";
}

void Conv2D::initialize(Init init, Rng& rng) {
  initialize_weights(weight_.value, in_, out_, k_ * k_, init, rng);
  bias_.value.fill(0.0f);
}

std::size_t Conv2D::block_samples() const {
  constexpr std::size_t target_floats = std::size_t{1} << 20;  // 4 MiB of im2col per block
  return std::max<std::size_t>(1, target_floats / (im2col_rows() * oh_ * ow_));
}

namespace {
// The rows im2col copies are short (an output row: 28 floats or fewer in LeNet) and there are
// hundreds of thousands per batch: an inline loop beats a call to memcpy/memset for each.
inline void copy_short(float* dst, const float* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
}
inline void zero_short(float* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = 0.0f;
}
}  // namespace

// The output columns [begin, end) whose input column ox + kj - pad lies inside the image; empty
// when kernel column kj only ever meets padding (a kernel wider than the padded-out image's
// middle, as "same" gives a kernel larger than the image).
std::pair<std::size_t, std::size_t> Conv2D::columns_inside(std::size_t kj) const {
  const std::size_t begin = pad_ > kj ? pad_ - kj : 0;
  const std::size_t end = w_ + pad_ > kj ? std::min(ow_, w_ + pad_ - kj) : 0;
  return {std::min(begin, end), end};
}

// col is [in*k*k, samples*oh*ow]: row (c, ki, kj), column (sample, oy, ox).
void Conv2D::im2col(const float* x, std::size_t samples, float* col) const {
  const std::size_t plane = oh_ * ow_, cols = samples * plane;
  for (std::size_t c = 0; c < in_; ++c)
    for (std::size_t ki = 0; ki < k_; ++ki)
      for (std::size_t kj = 0; kj < k_; ++kj) {
        float* row = col + ((c * k_ + ki) * k_ + kj) * cols;
        const auto [ox_begin, ox_end] = columns_inside(kj);
        for (std::size_t s = 0; s < samples; ++s) {
          const float* image = x + (s * in_ + c) * h_ * w_;
          for (std::size_t oy = 0; oy < oh_; ++oy) {
            float* dst = row + s * plane + oy * ow_;
            const std::ptrdiff_t iy = static_cast<std::ptrdiff_t>(oy + ki) - static_cast<std::ptrdiff_t>(pad_);
            if (iy < 0 || iy >= static_cast<std::ptrdiff_t>(h_) || ox_begin >= ox_end) {
              zero_short(dst, ow_);
              continue;
            }
            zero_short(dst, ox_begin);
            copy_short(dst + ox_begin, image + iy * w_ + (ox_begin + kj - pad_), ox_end - ox_begin);
            zero_short(dst + ox_end, ow_ - ox_end);
          }
        }
      }
}

// The adjoint of im2col: scatters-adds col back into dx (which the caller zeroes).
void Conv2D::col2im(const float* col, std::size_t samples, float* dx) const {
  const std::size_t plane = oh_ * ow_, cols = samples * plane;
  for (std::size_t c = 0; c < in_; ++c)
    for (std::size_t ki = 0; ki < k_; ++ki)
      for (std::size_t kj = 0; kj < k_; ++kj) {
        const float* row = col + ((c * k_ + ki) * k_ + kj) * cols;
        const auto [ox_begin, ox_end] = columns_inside(kj);
        if (ox_begin >= ox_end) continue;
        for (std::size_t s = 0; s < samples; ++s) {
          float* image = dx + (s * in_ + c) * h_ * w_;
          for (std::size_t oy = 0; oy < oh_; ++oy) {
            const std::ptrdiff_t iy = static_cast<std::ptrdiff_t>(oy + ki) - static_cast<std::ptrdiff_t>(pad_);
            if (iy < 0 || iy >= static_cast<std::ptrdiff_t>(h_)) continue;
            const float* src = row + s * plane + oy * ow_;
            float* dst = image + iy * w_ + kj - pad_;  // dst[ox] is input column ox + kj - pad
            for (std::size_t ox = ox_begin; ox < ox_end; ++ox) dst[ox] += src[ox];
          }
        }
      }
}

void Conv2D::forward(const Tensor& x, Tensor& y) {
  const std::size_t n = x.shape()[0], plane = oh_ * ow_, rows = im2col_rows(), block = block_samples();
  ensure_shape(y, {n, out_, oh_, ow_});
  if (n <= direct_conv_max_images) {
    for (std::size_t s = 0; s < n; ++s)
      direct_conv(geometry(), x.data() + s * in_ * h_ * w_, weight_.value.data(), bias_.value.data(),
                  y.data() + s * out_ * plane, direct_);
    return;
  }
  col_.resize(rows * std::min(n, block) * plane);
  out_cols_.resize(out_ * std::min(n, block) * plane);
  const float* bias = bias_.value.data();
  for (std::size_t s0 = 0; s0 < n; s0 += block) {
    const std::size_t ns = std::min(block, n - s0), cols = ns * plane;
    im2col(x.data() + s0 * in_ * h_ * w_, ns, col_.data());
    gemm(Trans::no, Trans::no, out_, cols, rows, 1.0f, weight_.value.data(), rows, col_.data(), cols, 0.0f,
         out_cols_.data(), cols);
    // [out, samples, plane] -> [samples, out, plane], adding the bias.
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t o = 0; o < out_; ++o) {
        const float* src = out_cols_.data() + o * cols + s * plane;
        float* dst = y.data() + ((s0 + s) * out_ + o) * plane;
        for (std::size_t p = 0; p < plane; ++p) dst[p] = src[p] + bias[o];
      }
  }
}

void Conv2D::backward(const Tensor& x, const Tensor&, const Tensor& dy, Tensor* dx) {
  const std::size_t n = x.shape()[0], plane = oh_ * ow_, rows = im2col_rows(), block = block_samples();
  col_.resize(rows * std::min(n, block) * plane);
  out_cols_.resize(out_ * std::min(n, block) * plane);
  float* dbias = bias_.grad.data();
  std::fill(dbias, dbias + out_, 0.0f);
  if (dx) {
    ensure_shape_like(*dx, x);
    dx->fill(0.0f);
  }
  for (std::size_t s0 = 0; s0 < n; s0 += block) {
    const std::size_t ns = std::min(block, n - s0), cols = ns * plane;
    // dy [samples, out, plane] -> [out, samples*plane], the layout of the forward GEMM's output.
    for (std::size_t s = 0; s < ns; ++s)
      for (std::size_t o = 0; o < out_; ++o) {
        const float* src = dy.data() + ((s0 + s) * out_ + o) * plane;
        float* dst = out_cols_.data() + o * cols + s * plane;
        float sum = 0.0f;
        for (std::size_t p = 0; p < plane; ++p) {
          dst[p] = src[p];
          sum += src[p];
        }
        dbias[o] += sum;
      }
    im2col(x.data() + s0 * in_ * h_ * w_, ns, col_.data());
    // dW (+)= dY * col^T
    gemm(Trans::no, Trans::yes, out_, rows, cols, 1.0f, out_cols_.data(), cols, col_.data(), cols,
         s0 == 0 ? 0.0f : 1.0f, weight_.grad.data(), rows);
    if (dx) {
      // dcol = W^T * dY, then scattered back onto the input.
      gemm(Trans::yes, Trans::no, rows, cols, out_, 1.0f, weight_.value.data(), rows, out_cols_.data(), cols,
           0.0f, col_.data(), cols);
      col2im(col_.data(), ns, dx->data() + s0 * in_ * h_ * w_);
    }
  }
}

}  // namespace lenet
