#pragma once
// 2-D convolution, stride 1, zero padding. Weight [out, in, k, k] and bias [out] as in PyTorch.
// Batches go through im2col and the project's GEMM; a few images (direct_conv_max_images) through
// the direct convolution (core/kernels/direct_conv.hpp), which reads the same weights as they are.

#include <cstddef>
#include <utility>

#include "core/kernels/direct_conv.hpp"
#include "core/nn/layer.hpp"

namespace lenet {

class Conv2D final : public Layer {
 public:
  // padding: zeros added on each side ("same" is (k-1)/2 for odd k, "valid" is 0).
  Conv2D(const Shape& input, std::size_t out_channels, std::size_t kernel, std::size_t padding,
         std::string padding_name, std::string param_prefix);

  std::string spec() const override;
  Shape output_shape() const override { return {out_, oh_, ow_}; }
  void forward(const Tensor& x, Tensor& y) override;
  void backward(const Tensor& x, const Tensor& y, const Tensor& dy, Tensor* dx) override;
  std::vector<Parameter*> parameters() override { return {&weight_, &bias_}; }
  void initialize(Init init, Rng& rng) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<Conv2D>(*this); }

  ConvGeometry geometry() const { return {in_, h_, w_, out_, k_, pad_, oh_, ow_}; }

 private:
  std::size_t im2col_rows() const { return in_ * k_ * k_; }
  // Samples per im2col block: large enough for an efficient GEMM, small enough to stay in cache.
  std::size_t block_samples() const;
  std::pair<std::size_t, std::size_t> columns_inside(std::size_t kj) const;
  void im2col(const float* x, std::size_t samples, float* col) const;
  void col2im(const float* col, std::size_t samples, float* dx) const;

  std::size_t in_, h_, w_, out_, k_, pad_, oh_, ow_;
  std::string padding_name_;
  Parameter weight_, bias_;
  std::vector<float> col_, out_cols_;  // scratch: im2col block and the GEMM's [out, samples*oh*ow]
  DirectConvScratch direct_;           // scratch: the direct path's
};

}  // namespace lenet
