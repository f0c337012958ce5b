#pragma once
// The CUDA kernels of the training path, behind plain host functions that enqueue one kernel on a
// stream and check the launch (kernels.cu). This header needs only the CUDA runtime API, so the
// host code (trainer.cpp) is compiled by the host compiler with the project's warnings; nvcc
// compiles kernels.cu alone and never sees xtensor.

#include <cuda_runtime_api.h>

#include <cstdint>

#include "native_trainer/cuda/device_math.hpp"

namespace lenet::cuda {

// Throws lenet::Error "--device cuda: WHAT failed: <CUDA's reason>" unless err is cudaSuccess.
void check(cudaError_t err, const char* what);

// The device-side control block: what a captured training step needs to decide on its own.
struct Control {
  // Totals of the training batches since the last take_totals() (the "window").
  double loss_sum;
  unsigned long long correct, images;
  unsigned int batches;
  int first_bad;        // window index of the first batch with a non-finite loss, -1 if none
  int halted;           // set with first_bad and never cleared: no more updates
  unsigned int cursor;  // position in the epoch order of the next training batch
  long long step;       // optimiser steps done (Adam's t)
  float lr;             // current learning rate
  float alpha;          // Adam's step size for the current step
  double eval_loss;     // evaluation totals
  unsigned long long eval_correct;
};

namespace launch {

// x [n, pixels] and labels [n] from images[order[*cursor + i]]; order null: image i; cursor null: 0.
void gather(cudaStream_t s, const std::uint8_t* images, const std::uint8_t* labels, const std::uint32_t* order,
            const unsigned int* cursor, int n, int pixels, float scale, float shift, float* x, std::uint8_t* y);
void im2col(cudaStream_t s, const float* x, const GpuConvGeometry& g, index_t cols, float* col);
void col2im(cudaStream_t s, const float* dcol, const GpuConvGeometry& g, index_t cols, index_t total, float* dx);
void conv_output(cudaStream_t s, const float* out_cols, const float* bias, const GpuConvGeometry& g, index_t cols,
                 index_t total, float* y);
void conv_dy_cols(cudaStream_t s, const float* dy, const GpuConvGeometry& g, index_t cols, float* dy_cols);
// out[r] = sum of row r of m [rows, cols].
void row_sum(cudaStream_t s, const float* m, int rows, index_t cols, float* out);
// out[o] = sum over rows of m[i, o].
void column_sum(cudaStream_t s, const float* m, int rows, int cols, float* out);
// y [total / out, out] = bias broadcast.
void bias_fill(cudaStream_t s, const float* bias, int out, index_t total, float* y);
void pool_forward(cudaStream_t s, const float* x, const PoolGeom& g, index_t total, float* y, std::uint32_t* argmax);
void pool_backward(cudaStream_t s, const float* dy, const std::uint32_t* argmax, const PoolGeom& g, index_t total,
                   float* dx);
void activation_forward(cudaStream_t s, ActivationKind a, const float* x, index_t total, float* y);
void activation_backward(cudaStream_t s, ActivationKind a, const float* y, const float* dy, index_t total, float* dx);
// Per row: loss_rows, correct_rows, dlogits (if not null) scaled by grad_scale, predictions (if not null).
void softmax_ce(cudaStream_t s, const float* logits, const std::uint8_t* labels, int n, int classes, float grad_scale,
                float* dlogits, double* loss_rows, int* correct_rows, std::uint8_t* predictions);
// Adds a training batch to the window (or halts on a non-finite loss) and advances the cursor.
void train_totals(cudaStream_t s, const double* loss_rows, const int* correct_rows, int n, Control* ctrl);
void eval_totals(cudaStream_t s, const double* loss_rows, const int* correct_rows, int n, Control* ctrl);
// step += 1 and Adam's alpha for it, unless halted.
void prepare_update(cudaStream_t s, Control* ctrl, bool adam, float beta1, float beta2);
void sgd(cudaStream_t s, float* w, const float* g, float* velocity, index_t total, const Control* ctrl,
         const SgdHyper& h);
void adam(cudaStream_t s, float* w, const float* g, float* m, float* v, index_t total, const Control* ctrl,
          const AdamHyper& h);
void init_control(cudaStream_t s, Control* ctrl);
void set_cursor(cudaStream_t s, Control* ctrl, unsigned int cursor);
void set_optimizer(cudaStream_t s, Control* ctrl, long long step, float lr);
void set_lr(cudaStream_t s, Control* ctrl, float lr);
void reset_window(cudaStream_t s, Control* ctrl);
void reset_eval(cudaStream_t s, Control* ctrl);

}  // namespace launch
}  // namespace lenet::cuda
