#pragma once
// One training step's buffers, forward pass and backward pass as the CUDA path runs them, written
// once and generic over a launcher: trainer.cpp's launcher enqueues kernels (kernels.hpp) and cuBLAS
// calls on its stream; the host-side test's launcher (tests/cuda/test_host_math.cpp) runs the same
// per-element functions (device_math.hpp) in plain loops. So the emulation that holds the GPU path
// to core's layers without a GPU runs this very sequence.
//
// A launcher has these members (pointers into its memory, row-major matrices as core/kernels/gemm.hpp):
//   gemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
//   im2col(x, conv, cols, col)                 col [rows, cols] from x [n, in_c, h, w]
//   conv_output(out_cols, bias, conv, cols, total, y)
//   conv_dy_cols(dy, conv, cols, dy_cols)      dy [n, out_c, plane] -> [out_c, cols]
//   col2im(dcol, conv, cols, total, dx)
//   row_sum(m, rows, cols, out)                out[r] = sum of row r
//   column_sum(m, rows, cols, out)             out[c] = sum of column c
//   bias_fill(bias, out, total, y)             y [total / out, out] = bias
//   pool_forward(x, pool, total, y, argmax)    pool_backward(dy, argmax, pool, total, dx)
//   activation_forward(kind, x, total, y)      activation_backward(kind, y, dy, total, dx)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "native_trainer/cuda/plan.hpp"

namespace lenet::cuda {

// The buffers of a batch of up to `rows` images, L = ops.size() layers:
//   act[i]    input of layer i [rows, in_size]: act[0] the batch, act[L] the logits
//   grad[i]   dL/d act[i] for i >= 1 (the first layer needs no input gradient); grad[L] the logits'
//   col[i]    conv i's im2col of its input [k*k*in_c, rows*plane], reused for dcol in backward
//   argmax[i] max-pool i's index of each output's maximum in its input plane
//   out_cols  conv scratch [out_c, rows*plane]: the forward GEMM's output, dY's columns in backward
// A flatten's act[i + 1] is act[i] and its grad[i] is grad[i + 1]: it moves nothing.
struct StepBuffers {
  std::vector<float*> act, grad, col;
  std::vector<std::uint32_t*> argmax;
  float* out_cols = nullptr;
  float* params = nullptr;  // flat, in the layout's order
  float* grads = nullptr;
  const ParamLayout* layout = nullptr;

  float* weight(const LayerOp& op) const { return params + layout->slots[op.param].offset; }
  float* bias(const LayerOp& op) const { return params + layout->slots[op.param + 1].offset; }
  float* weight_grad(const LayerOp& op) const { return grads + layout->slots[op.param].offset; }
  float* bias_grad(const LayerOp& op) const { return grads + layout->slots[op.param + 1].offset; }
};

// Allocates the activation, gradient and scratch buffers for `rows` images through
// floats(count, what) and indices(count, what), which return memory of the launcher's kind.
// params, grads and layout are the caller's to set.
template <class AllocateFloats, class AllocateIndices>
StepBuffers allocate_step_buffers(const std::vector<LayerOp>& ops, std::size_t rows, std::size_t input_size,
                                  std::size_t classes, AllocateFloats&& floats, AllocateIndices&& indices) {
  const std::size_t L = ops.size();
  StepBuffers b;
  b.act.assign(L + 1, nullptr);
  b.grad.assign(L + 1, nullptr);
  b.col.assign(L, nullptr);
  b.argmax.assign(L, nullptr);
  b.act[0] = floats(rows * input_size, "the input batch");
  std::size_t out_cols = 0;
  for (std::size_t i = 0; i < L; ++i) {
    const LayerOp& op = ops[i];
    b.act[i + 1] = op.kind == OpKind::flatten ? b.act[i] : floats(rows * op.out_size, "the activations");
    if (op.kind == OpKind::conv) {
      const std::size_t plane = static_cast<std::size_t>(op.conv.out_plane());
      b.col[i] = floats(static_cast<std::size_t>(op.conv.patch_size()) * rows * plane, "im2col");
      out_cols = std::max(out_cols, static_cast<std::size_t>(op.conv.out_channels) * rows * plane);
    }
    if (op.kind == OpKind::pool && op.pool.max) b.argmax[i] = indices(rows * op.out_size, "max-pooling indices");
  }
  b.grad[L] = floats(rows * classes, "the logits' gradient");
  for (std::size_t i = L; i-- > 1;)
    b.grad[i] = ops[i].kind == OpKind::flatten ? b.grad[i + 1] : floats(rows * ops[i].in_size, "the gradients");
  b.out_cols = floats(std::max<std::size_t>(out_cols, 1), "the convolution scratch");
  return b;
}

// act[1..L] from act[0] for n rows (core's Network::forward).
template <class Launcher>
void run_forward(Launcher& launch, const std::vector<LayerOp>& ops, const StepBuffers& b, std::size_t n_rows) {
  const int n = static_cast<int>(n_rows);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const LayerOp& op = ops[i];
    const float* x = b.act[i];
    float* y = b.act[i + 1];
    const index_t out_total = static_cast<index_t>(n) * static_cast<index_t>(op.out_size);
    switch (op.kind) {
      case OpKind::conv: {  // Conv2D::forward: im2col, Y = W col, + bias
        const GpuConvGeometry& g = op.conv;
        const index_t cols = static_cast<index_t>(n) * g.out_plane();
        const int patch = g.patch_size();
        launch.im2col(x, g, cols, b.col[i]);
        launch.gemm(false, false, g.out_channels, static_cast<int>(cols), patch, 1.0f, b.weight(op), patch, b.col[i],
                    static_cast<int>(cols), 0.0f, b.out_cols, static_cast<int>(cols));
        launch.conv_output(b.out_cols, b.bias(op), g, cols, out_total, y);
        break;
      }
      case OpKind::pool:
        launch.pool_forward(x, op.pool, out_total, y, b.argmax[i]);
        break;
      case OpKind::dense: {  // Dense::forward: y = bias, then y += x W^T
        const int in = static_cast<int>(op.in_size), out = static_cast<int>(op.out_size);
        launch.bias_fill(b.bias(op), out, out_total, y);
        launch.gemm(false, true, n, out, in, 1.0f, x, in, b.weight(op), in, 1.0f, y, out);
        break;
      }
      case OpKind::activation:
        launch.activation_forward(op.act, x, out_total, y);
        break;
      case OpKind::flatten: break;  // act[i + 1] is act[i]
    }
  }
}

// Every parameter's gradient, and grad[1..L-1], from grad[L] = dL/dlogits (core's Network::backward).
template <class Launcher>
void run_backward(Launcher& launch, const std::vector<LayerOp>& ops, const StepBuffers& b, std::size_t n_rows) {
  const int n = static_cast<int>(n_rows);
  for (std::size_t i = ops.size(); i-- > 0;) {
    const LayerOp& op = ops[i];
    const float* dy = b.grad[i + 1];
    float* dx = i > 0 ? b.grad[i] : nullptr;  // the first layer needs no input gradient
    const index_t in_total = static_cast<index_t>(n) * static_cast<index_t>(op.in_size);
    switch (op.kind) {
      case OpKind::conv: {  // inverts the conv forward above
        const GpuConvGeometry& g = op.conv;
        const index_t cols = static_cast<index_t>(n) * g.out_plane();
        const int patch = g.patch_size(), out_c = g.out_channels;
        float* dy_cols = b.out_cols;
        launch.conv_dy_cols(dy, g, cols, dy_cols);
        launch.row_sum(dy_cols, out_c, cols, b.bias_grad(op));  // + bias
        // dW = dY col^T  (Y = W col)
        launch.gemm(false, true, out_c, patch, static_cast<int>(cols), 1.0f, dy_cols, static_cast<int>(cols), b.col[i],
                    static_cast<int>(cols), 0.0f, b.weight_grad(op), patch);
        if (dx) {
          // dcol = W^T dY (into the im2col buffer, no longer needed), then gathered onto dx (im2col).
          launch.gemm(true, false, patch, static_cast<int>(cols), out_c, 1.0f, b.weight(op), patch, dy_cols,
                      static_cast<int>(cols), 0.0f, b.col[i], static_cast<int>(cols));
          launch.col2im(b.col[i], g, cols, in_total, dx);
        }
        break;
      }
      case OpKind::pool:
        if (dx) launch.pool_backward(dy, b.argmax[i], op.pool, in_total, dx);
        break;
      case OpKind::dense: {  // inverts y = x W^T + bias: dW = dY^T X, db = column sums of dY, dX = dY W
        const int in = static_cast<int>(op.in_size), out = static_cast<int>(op.out_size);
        launch.gemm(true, false, out, in, n, 1.0f, dy, out, b.act[i], in, 0.0f, b.weight_grad(op), in);
        launch.column_sum(dy, n, out, b.bias_grad(op));
        if (dx) launch.gemm(false, false, n, in, out, 1.0f, dy, out, b.weight(op), in, 0.0f, dx, in);
        break;
      }
      case OpKind::activation:
        if (dx) launch.activation_backward(op.act, b.act[i + 1], dy, in_total, dx);
        break;
      case OpKind::flatten: break;  // grad[i] is grad[i + 1]
    }
  }
}

}  // namespace lenet::cuda
