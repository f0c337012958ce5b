// The kernels of the CUDA training path: grid-stride loops around device_math.hpp's functions
// (the same functions the host-side tests hold to core/), a few reductions, the optimisers, and
// the tiny kernels that keep the device-side Control block. Each launch wrapper enqueues one
// kernel on the caller's stream and checks the launch.

#include "native_trainer/cuda/kernels.hpp"

#include <algorithm>
#include <string>

#include "core/base/error.hpp"

namespace lenet::cuda {

void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess)
    throw Error(std::string("--device cuda: ") + what + " failed: " + cudaGetErrorString(err));
}

namespace {

void check_launch(const char* kernel) { check(cudaGetLastError(), kernel); }

constexpr int threads_per_block = 256;

unsigned int blocks_for(index_t total) {
  const index_t b = (total + threads_per_block - 1) / threads_per_block;
  return static_cast<unsigned int>(std::min<index_t>(b, index_t{1} << 20));  // grid-stride covers the rest
}

// A grid-stride loop over t in [0, total) with index type I.
#define GRID_STRIDE_I(I, t, total)                                                                      \
  for (I t = static_cast<I>(blockIdx.x) * static_cast<I>(blockDim.x) + static_cast<I>(threadIdx.x); t < (total); \
       t += static_cast<I>(gridDim.x) * static_cast<I>(blockDim.x))
#define GRID_STRIDE(t, total) GRID_STRIDE_I(index_t, t, total)

// The index math of the convolution and pooling kernels is templated on its index type: 32-bit
// division is several times faster on a GPU than 64-bit. launch(I{}) enqueues the kernel with
// I = int when every index it forms stays below largest_index < 2^30 (a grid stride of at most
// 2^28 more cannot overflow), else with I = index_t; then the launch is checked.
template <typename Launch>
void launch_with_index_type(index_t largest_index, const char* kernel, Launch&& launch) {
  if (largest_index < (index_t{1} << 30))
    launch(int{});
  else
    launch(index_t{});
  check_launch(kernel);
}

// x [n, pixels] and labels [n] from images[order[cursor + i]] (order null: image i).
__global__ void gather_kernel(const std::uint8_t* images, const std::uint8_t* labels, const std::uint32_t* order,
                              const unsigned int* cursor, int n, int pixels, float scale, float shift, float* x,
                              std::uint8_t* y) {
  const std::uint32_t* o = order ? order + (cursor ? *cursor : 0u) : nullptr;
  const index_t total = static_cast<index_t>(n) * pixels;
  GRID_STRIDE(t, total) {
    x[t] = gather_pixel(images, o, t, pixels, scale, shift);
    if (t < n) y[t] = labels[o ? o[t] : t];
  }
}

template <typename I>
__global__ void im2col_kernel(const float* x, GpuConvGeometry g, I cols, I total, float* col) {
  GRID_STRIDE_I(I, t, total) col[t] = im2col_value<I>(x, g, t, cols);
}

template <typename I>
__global__ void col2im_kernel(const float* dcol, GpuConvGeometry g, I cols, I total, float* dx) {
  GRID_STRIDE_I(I, t, total) dx[t] = col2im_value<I>(dcol, g, t, cols);
}

template <typename I>
__global__ void conv_output_kernel(const float* out_cols, const float* bias, GpuConvGeometry g, I cols, I total, float* y) {
  GRID_STRIDE_I(I, t, total) y[t] = conv_output_value<I>(out_cols, bias, g, t, cols);
}

template <typename I>
__global__ void conv_dy_cols_kernel(const float* dy, GpuConvGeometry g, I cols, I total, float* dy_cols) {
  GRID_STRIDE_I(I, t, total) dy_cols[t] = conv_dy_cols_value<I>(dy, g, t, cols);
}

// out[r] = sum of row r of m [rows, cols]; one block per row (blockDim == threads_per_block).
__global__ void row_sum_kernel(const float* m, index_t cols, float* out) {
  __shared__ float partial[threads_per_block];
  const float* row = m + blockIdx.x * cols;
  float s = 0.0f;
  for (index_t j = threadIdx.x; j < cols; j += blockDim.x) s += row[j];
  partial[threadIdx.x] = s;
  __syncthreads();
  for (int half = blockDim.x / 2; half > 0; half /= 2) {
    if (static_cast<int>(threadIdx.x) < half) partial[threadIdx.x] += partial[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = partial[0];
}

// out[o] = sum over i of m[i, o] for m [rows, cols]. A block of 32 x 8 threads takes 32 columns:
// thread (x, y) sums rows y, y + 8, ... of column x (coalesced along x), then the 8 partial sums of
// each column are added in shared memory.
constexpr int column_tile = 32, column_groups = 8;
__global__ void column_sum_kernel(const float* m, int rows, int cols, float* out) {
  __shared__ float partial[column_groups][column_tile];
  const int o = blockIdx.x * column_tile + threadIdx.x;
  float s = 0.0f;
  if (o < cols)
    for (int i = threadIdx.y; i < rows; i += column_groups) s += m[static_cast<index_t>(i) * cols + o];
  partial[threadIdx.y][threadIdx.x] = s;
  __syncthreads();
  if (threadIdx.y == 0 && o < cols) {
    float total = 0.0f;
    for (int y = 0; y < column_groups; ++y) total += partial[y][threadIdx.x];
    out[o] = total;
  }
}

// y [n, out] = bias, broadcast (the dense GEMM then adds x W^T with beta = 1, as the CPU does).
__global__ void bias_fill_kernel(const float* bias, int out, index_t total, float* y) {
  GRID_STRIDE(t, total) y[t] = bias[t % out];
}

template <typename I>
__global__ void pool_forward_kernel(const float* x, PoolGeom g, I total, float* y, std::uint32_t* argmax) {
  GRID_STRIDE_I(I, t, total) {
    std::uint32_t best = 0;
    y[t] = pool_forward_value<I>(x, g, t, &best);
    if (g.max) argmax[t] = best;
  }
}

template <typename I>
__global__ void pool_backward_kernel(const float* dy, const std::uint32_t* argmax, PoolGeom g, I total, float* dx) {
  GRID_STRIDE_I(I, t, total) dx[t] = pool_backward_value<I>(dy, argmax, g, t);
}

__global__ void activation_forward_kernel(ActivationKind a, const float* x, index_t total, float* y) {
  GRID_STRIDE(t, total) y[t] = activation_forward(a, x[t]);
}

__global__ void activation_backward_kernel(ActivationKind a, const float* y, const float* dy, index_t total, float* dx) {
  GRID_STRIDE(t, total) dx[t] = activation_backward(a, y[t], dy[t]);
}

// One thread per row: loss_rows[i], correct_rows[i], dlogits (if not null), predictions (if not null).
__global__ void softmax_ce_kernel(const float* logits, const std::uint8_t* labels, int n, int classes,
                                  float grad_scale, float* dlogits, double* loss_rows, int* correct_rows,
                                  std::uint8_t* predictions) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  int predicted = 0;
  const double loss = softmax_cross_entropy_row(logits + static_cast<index_t>(i) * classes, classes, labels[i], grad_scale,
                                     dlogits ? dlogits + static_cast<index_t>(i) * classes : nullptr, &predicted);
  loss_rows[i] = loss;
  correct_rows[i] = predicted == labels[i];
  if (predictions) predictions[i] = static_cast<std::uint8_t>(predicted);
}

// Sums loss_rows and correct_rows over n rows in one block; thread 0 gets the result.
__device__ void block_sum(const double* loss_rows, const int* correct_rows, int n, double* loss, int* correct) {
  __shared__ double l[threads_per_block];
  __shared__ int c[threads_per_block];
  double ls = 0.0;
  int cs = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    ls += loss_rows[i];
    cs += correct_rows[i];
  }
  l[threadIdx.x] = ls;
  c[threadIdx.x] = cs;
  __syncthreads();
  for (int half = blockDim.x / 2; half > 0; half /= 2) {
    if (static_cast<int>(threadIdx.x) < half) {
      l[threadIdx.x] += l[threadIdx.x + half];
      c[threadIdx.x] += c[threadIdx.x + half];
    }
    __syncthreads();
  }
  *loss = l[0];
  *correct = c[0];
}

// After a training batch's loss: add it to the window, or stop updating if it is not finite;
// advance the cursor either way. One block.
__global__ void train_totals_kernel(const double* loss_rows, const int* correct_rows, int n, Control* ctrl) {
  double loss;
  int correct;
  block_sum(loss_rows, correct_rows, n, &loss, &correct);
  if (threadIdx.x != 0) return;
  if (!ctrl->halted && !isfinite(loss)) {
    ctrl->halted = 1;
    ctrl->first_bad = static_cast<int>(ctrl->batches);
  }
  if (!ctrl->halted) {
    ctrl->loss_sum += loss;
    ctrl->correct += static_cast<unsigned long long>(correct);
    ctrl->images += static_cast<unsigned long long>(n);
  }
  ctrl->batches += 1;
  ctrl->cursor += static_cast<unsigned int>(n);
}

__global__ void eval_totals_kernel(const double* loss_rows, const int* correct_rows, int n, Control* ctrl) {
  double loss;
  int correct;
  block_sum(loss_rows, correct_rows, n, &loss, &correct);
  if (threadIdx.x != 0) return;
  ctrl->eval_loss += loss;
  ctrl->eval_correct += static_cast<unsigned long long>(correct);
}

// Before an update: t += 1 and Adam's step size for it (the CPU's Optimizer::step order).
__global__ void prepare_update_kernel(Control* ctrl, bool adam, float beta1, float beta2) {
  if (ctrl->halted) return;
  ctrl->step += 1;
  if (adam) ctrl->alpha = adam_alpha(ctrl->lr, beta1, beta2, ctrl->step);
}

__global__ void sgd_kernel(float* w, const float* g, float* velocity, index_t total, const Control* ctrl,
                           SgdHyper h) {
  if (ctrl->halted) return;
  const float lr = ctrl->lr;
  GRID_STRIDE(t, total) sgd_update(lr, h, w[t], g[t], velocity ? velocity + t : nullptr);
}

__global__ void adam_kernel(float* w, const float* g, float* m, float* v, index_t total, const Control* ctrl,
                            AdamHyper h) {
  if (ctrl->halted) return;
  const float alpha = ctrl->alpha;
  GRID_STRIDE(t, total) adam_update(alpha, 1.0f, h, w[t], g[t], m[t], v[t]);
}

__global__ void set_cursor_kernel(Control* ctrl, unsigned int cursor) { ctrl->cursor = cursor; }
__global__ void set_optimizer_kernel(Control* ctrl, long long step, float lr) {
  ctrl->step = step;
  ctrl->lr = lr;
}
__global__ void set_lr_kernel(Control* ctrl, float lr) { ctrl->lr = lr; }
__global__ void reset_window_kernel(Control* ctrl) {
  ctrl->loss_sum = 0.0;
  ctrl->correct = ctrl->images = 0;
  ctrl->batches = 0;
  ctrl->first_bad = -1;
}
__global__ void reset_eval_kernel(Control* ctrl) {
  ctrl->eval_loss = 0.0;
  ctrl->eval_correct = 0;
}
__global__ void init_control_kernel(Control* ctrl) {
  ctrl->loss_sum = 0.0;
  ctrl->correct = ctrl->images = 0;
  ctrl->batches = 0;
  ctrl->first_bad = -1;
  ctrl->halted = 0;
  ctrl->cursor = 0;
  ctrl->step = 0;
  ctrl->lr = 0.0f;
  ctrl->alpha = 0.0f;
  ctrl->eval_loss = 0.0;
  ctrl->eval_correct = 0;
}

}  // namespace

namespace launch {

void gather(cudaStream_t s, const std::uint8_t* images, const std::uint8_t* labels, const std::uint32_t* order,
            const unsigned int* cursor, int n, int pixels, float scale, float shift, float* x, std::uint8_t* y) {
  const index_t total = static_cast<index_t>(n) * pixels;
  gather_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(images, labels, order, cursor, n, pixels, scale, shift,
                                                                x, y);
  check_launch("the batch gathering kernel");
}

void im2col(cudaStream_t s, const float* x, const GpuConvGeometry& g, index_t cols, float* col) {
  const index_t total = cols * g.patch_size();
  launch_with_index_type(total, "the im2col kernel", [&](auto index) {
    using I = decltype(index);
    im2col_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(x, g, I(cols), I(total), col);
  });
}

void col2im(cudaStream_t s, const float* dcol, const GpuConvGeometry& g, index_t cols, index_t total, float* dx) {
  launch_with_index_type(std::max(total, cols * g.patch_size()), "the col2im kernel", [&](auto index) {
    using I = decltype(index);
    col2im_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(dcol, g, I(cols), I(total), dx);
  });
}

void conv_output(cudaStream_t s, const float* out_cols, const float* bias, const GpuConvGeometry& g, index_t cols,
                 index_t total, float* y) {
  launch_with_index_type(total, "the convolution output kernel", [&](auto index) {
    using I = decltype(index);
    conv_output_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(out_cols, bias, g, I(cols), I(total), y);
  });
}

void conv_dy_cols(cudaStream_t s, const float* dy, const GpuConvGeometry& g, index_t cols, float* dy_cols) {
  const index_t total = cols * g.out_channels;
  launch_with_index_type(total, "the convolution gradient layout kernel", [&](auto index) {
    using I = decltype(index);
    conv_dy_cols_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(dy, g, I(cols), I(total), dy_cols);
  });
}

void row_sum(cudaStream_t s, const float* m, int rows, index_t cols, float* out) {
  row_sum_kernel<<<static_cast<unsigned int>(rows), threads_per_block, 0, s>>>(m, cols, out);
  check_launch("the bias gradient kernel");
}

void column_sum(cudaStream_t s, const float* m, int rows, int cols, float* out) {
  column_sum_kernel<<<(cols + column_tile - 1) / column_tile, dim3(column_tile, column_groups), 0, s>>>(m, rows, cols,
                                                                                                    out);
  check_launch("the bias gradient kernel");
}

void bias_fill(cudaStream_t s, const float* bias, int out, index_t total, float* y) {
  bias_fill_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(bias, out, total, y);
  check_launch("the bias kernel");
}

void pool_forward(cudaStream_t s, const float* x, const PoolGeom& g, index_t total, float* y, std::uint32_t* argmax) {
  const index_t input = total / (static_cast<index_t>(g.oh) * g.ow) * g.h * g.w;  // the largest index formed
  launch_with_index_type(input, "the pooling kernel", [&](auto index) {
    using I = decltype(index);
    pool_forward_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(x, g, I(total), y, argmax);
  });
}

void pool_backward(cudaStream_t s, const float* dy, const std::uint32_t* argmax, const PoolGeom& g, index_t total,
                   float* dx) {
  launch_with_index_type(total, "the pooling gradient kernel", [&](auto index) {
    using I = decltype(index);
    pool_backward_kernel<I><<<blocks_for(total), threads_per_block, 0, s>>>(dy, argmax, g, I(total), dx);
  });
}

void activation_forward(cudaStream_t s, ActivationKind a, const float* x, index_t total, float* y) {
  activation_forward_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(a, x, total, y);
  check_launch("the activation kernel");
}

void activation_backward(cudaStream_t s, ActivationKind a, const float* y, const float* dy, index_t total, float* dx) {
  activation_backward_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(a, y, dy, total, dx);
  check_launch("the activation gradient kernel");
}

void softmax_ce(cudaStream_t s, const float* logits, const std::uint8_t* labels, int n, int classes, float grad_scale,
                float* dlogits, double* loss_rows, int* correct_rows, std::uint8_t* predictions) {
  softmax_ce_kernel<<<(n + 127) / 128, 128, 0, s>>>(logits, labels, n, classes, grad_scale, dlogits, loss_rows,
                                                    correct_rows, predictions);
  check_launch("the softmax cross-entropy kernel");
}

void train_totals(cudaStream_t s, const double* loss_rows, const int* correct_rows, int n, Control* ctrl) {
  train_totals_kernel<<<1, threads_per_block, 0, s>>>(loss_rows, correct_rows, n, ctrl);
  check_launch("the loss totals kernel");
}

void eval_totals(cudaStream_t s, const double* loss_rows, const int* correct_rows, int n, Control* ctrl) {
  eval_totals_kernel<<<1, threads_per_block, 0, s>>>(loss_rows, correct_rows, n, ctrl);
  check_launch("the evaluation totals kernel");
}

void prepare_update(cudaStream_t s, Control* ctrl, bool adam, float beta1, float beta2) {
  prepare_update_kernel<<<1, 1, 0, s>>>(ctrl, adam, beta1, beta2);
  check_launch("the optimiser's step kernel");
}

void sgd(cudaStream_t s, float* w, const float* g, float* velocity, index_t total, const Control* ctrl,
         const SgdHyper& h) {
  sgd_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(w, g, velocity, total, ctrl, h);
  check_launch("the SGD kernel");
}

void adam(cudaStream_t s, float* w, const float* g, float* m, float* v, index_t total, const Control* ctrl,
          const AdamHyper& h) {
  adam_kernel<<<blocks_for(total), threads_per_block, 0, s>>>(w, g, m, v, total, ctrl, h);
  check_launch("the Adam kernel");
}

void init_control(cudaStream_t s, Control* ctrl) {
  init_control_kernel<<<1, 1, 0, s>>>(ctrl);
  check_launch("the control initialisation kernel");
}

void set_cursor(cudaStream_t s, Control* ctrl, unsigned int cursor) {
  set_cursor_kernel<<<1, 1, 0, s>>>(ctrl, cursor);
  check_launch("the batch cursor kernel");
}

void set_optimizer(cudaStream_t s, Control* ctrl, long long step, float lr) {
  set_optimizer_kernel<<<1, 1, 0, s>>>(ctrl, step, lr);
  check_launch("the optimiser settings kernel");
}

void set_lr(cudaStream_t s, Control* ctrl, float lr) {
  set_lr_kernel<<<1, 1, 0, s>>>(ctrl, lr);
  check_launch("the learning-rate kernel");
}

void reset_window(cudaStream_t s, Control* ctrl) {
  reset_window_kernel<<<1, 1, 0, s>>>(ctrl);
  check_launch("the totals reset kernel");
}

void reset_eval(cudaStream_t s, Control* ctrl) {
  reset_eval_kernel<<<1, 1, 0, s>>>(ctrl);
  check_launch("the evaluation reset kernel");
}

}  // namespace launch
}  // namespace lenet::cuda
