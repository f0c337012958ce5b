// Host-side tests of the CUDA path, no GPU needed: the trainer's own step sequence
// (step_sequence.hpp) run with a launcher of plain loops over the kernels' per-element functions
// (device_math.hpp) and the row-major -> cuBLAS argument mapping, held to core/'s layers for every
// layer of every preset.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <span>
#include <vector>

#include "core/nn/loss.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "core/train/training.hpp"
#include "native_trainer/cuda/device_math.hpp"
#include "native_trainer/cuda/plan.hpp"
#include "native_trainer/cuda/step_sequence.hpp"
#include "support/layer_checks.hpp"

using namespace lenet;
using namespace lenet::cuda;

namespace {

// Reference column-major SGEMM with cuBLAS's argument list (C = alpha op(A) op(B) + beta C).
void column_major_sgemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                        int ldb, float beta, float* c, int ldc) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double s = 0;
      for (int p = 0; p < k; ++p) {
        const float av = ta ? a[p + i * lda] : a[i + p * lda];
        const float bv = tb ? b[j + p * ldb] : b[p + j * ldb];
        s += static_cast<double>(av) * bv;
      }
      c[i + j * ldc] = static_cast<float>(alpha * s + (beta == 0.0f ? 0.0 : beta * c[i + j * ldc]));
    }
}

// What trainer.cpp's gemm() does, with the reference in place of cublasSgemm.
void emulated_gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
          float beta, float* c, int ldc) {
  const ColumnMajorGemm g = row_major_gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
  column_major_sgemm(g.trans_first, g.trans_second, g.m, g.n, g.k, alpha, g.first, g.ld_first, g.second, g.ld_second,
                     beta, g.c, g.ldc);
}

double max_abs(const float* v, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(static_cast<double>(v[i])));
  return m;
}

// Largest difference relative to the reference's largest magnitude.
double rel_error(const float* got, const float* want, std::size_t n) {
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) d = std::max(d, std::fabs(static_cast<double>(got[i]) - want[i]));
  return d / std::max(max_abs(want, n), 1e-30);
}

// step_sequence.hpp's launcher on the host: each call runs its kernel's per-element function
// (device_math.hpp) in a loop, and the GEMM through the cuBLAS argument mapping.
struct HostLauncher {
  void gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
            float beta, float* c, int ldc) {
    emulated_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
  void im2col(const float* x, const GpuConvGeometry& g, index_t cols, float* col) {
    for (index_t t = 0; t < cols * g.patch_size(); ++t) col[t] = im2col_value(x, g, t, cols);
  }
  void conv_output(const float* out_cols, const float* bias, const GpuConvGeometry& g, index_t cols, index_t total,
                   float* y) {
    for (index_t t = 0; t < total; ++t) y[t] = conv_output_value(out_cols, bias, g, t, cols);
  }
  void conv_dy_cols(const float* dy, const GpuConvGeometry& g, index_t cols, float* dy_cols) {
    for (index_t t = 0; t < cols * g.out_channels; ++t) dy_cols[t] = conv_dy_cols_value(dy, g, t, cols);
  }
  void col2im(const float* dcol, const GpuConvGeometry& g, index_t cols, index_t total, float* dx) {
    for (index_t t = 0; t < total; ++t) dx[t] = col2im_value(dcol, g, t, cols);
  }
  void row_sum(const float* m, int rows, index_t cols, float* out) {
    for (int r = 0; r < rows; ++r) {
      float s = 0;
      for (index_t j = 0; j < cols; ++j) s += m[r * cols + j];
      out[r] = s;
    }
  }
  void column_sum(const float* m, int rows, int cols, float* out) {
    for (int c = 0; c < cols; ++c) {
      float s = 0;
      for (int r = 0; r < rows; ++r) s += m[r * cols + c];
      out[c] = s;
    }
  }
  void bias_fill(const float* bias, int out, index_t total, float* y) {
    for (index_t t = 0; t < total; ++t) y[t] = bias[t % out];
  }
  void pool_forward(const float* x, const PoolGeom& g, index_t total, float* y, std::uint32_t* argmax) {
    for (index_t t = 0; t < total; ++t) {
      std::uint32_t best = 0;
      y[t] = pool_forward_value(x, g, t, &best);
      if (g.max) argmax[t] = best;
    }
  }
  void pool_backward(const float* dy, const std::uint32_t* argmax, const PoolGeom& g, index_t total, float* dx) {
    for (index_t t = 0; t < total; ++t) dx[t] = pool_backward_value(dy, argmax, g, t);
  }
  void activation_forward(ActivationKind kind, const float* x, index_t total, float* y) {
    for (index_t t = 0; t < total; ++t) y[t] = lenet::activation_forward(kind, x[t]);
  }
  void activation_backward(ActivationKind kind, const float* y, const float* dy, index_t total, float* dx) {
    for (index_t t = 0; t < total; ++t) dx[t] = lenet::activation_backward(kind, y[t], dy[t]);
  }
};

// The trainer's step on the host: its own buffers (step_sequence.hpp) and its own sequence.
struct Emulated {
  std::vector<LayerOp> ops;
  ParamLayout layout;
  std::vector<float> params, grads;
  std::list<std::vector<float>> storage;
  std::list<std::vector<std::uint32_t>> index_storage;
  StepBuffers buffers;
  std::size_t input_size, classes, n = 0;

  Emulated(const Network& net, std::size_t rows)
      : ops(plan_layers(net)), layout(layout_parameters(net)), input_size(shape_size(net.input_shape())),
        classes(net.num_classes()) {
    params = pack_parameters(net, layout);
    grads.assign(layout.total, 0.0f);
    buffers = allocate_step_buffers(
        ops, rows, input_size, classes,
        [this](std::size_t count, const char*) { return storage.emplace_back(count, 0.0f).data(); },
        [this](std::size_t count, const char*) { return index_storage.emplace_back(count, 0u).data(); });
    buffers.params = params.data();
    buffers.grads = grads.data();
    buffers.layout = &layout;
  }

  // act[i] and grad[i] of the last step, n rows.
  std::span<const float> act(std::size_t i) const {
    return {buffers.act[i], n * (i == 0 ? input_size : ops[i - 1].out_size)};
  }
  std::span<const float> grad(std::size_t i) const {
    return {buffers.grad[i], n * (i == ops.size() ? classes : ops[i].in_size)};
  }

  void forward(const Tensor& x) {
    n = x.shape()[0];
    std::copy(x.begin(), x.end(), buffers.act[0]);
    HostLauncher launcher;
    run_forward(launcher, ops, buffers, n);
  }

  LossResult loss_and_backward(const std::vector<std::uint8_t>& labels) {
    const float* logits = buffers.act.back();
    float* dlogits = buffers.grad.back();
    const int c = static_cast<int>(classes);
    LossResult r;
    for (std::size_t i = 0; i < n; ++i) {
      int predicted = 0;
      r.loss_sum += softmax_cross_entropy_row(logits + i * classes, c, labels[i], 1.0f / static_cast<float>(n),
                                              dlogits + i * classes, &predicted);
      r.correct += predicted == labels[i];
    }
    HostLauncher launcher;
    run_backward(launcher, ops, buffers, n);
    return r;
  }
};

void check_preset_against_core(const char* preset, std::size_t n) {
  INFO("preset ", preset);
  Network net(preset);
  Rng rng(11);
  net.initialize(rng);
  testing::randomize_biases(net.parameters(), rng);
  const Tensor x = testing::random_tensor(batch_shape(n, net.input_shape()), rng, 0.0f, 1.0f);
  std::vector<std::uint8_t> labels(n);
  for (auto& l : labels) l = static_cast<std::uint8_t>(rng.below(net.num_classes()));

  Emulated emu(net, n);
  emu.forward(x);
  net.forward(x);
  for (std::size_t i = 0; i < net.layer_count(); ++i) {
    INFO("layer ", i, " ", net.layer(i).spec());
    const Tensor& want = net.activation(i);
    REQUIRE(emu.act(i + 1).size() == want.size());
    CHECK(rel_error(emu.act(i + 1).data(), want.data(), want.size()) <= 1e-5);
  }
  Tensor dlogits;
  const LossResult cpu = softmax_cross_entropy(net.activation(net.layer_count() - 1), labels.data(),
                                               1.0f / static_cast<float>(n), &dlogits);
  net.backward(dlogits);
  const LossResult emu_r = emu.loss_and_backward(labels);
  CHECK(emu_r.loss_sum == doctest::Approx(cpu.loss_sum).epsilon(1e-6));
  CHECK(emu_r.correct == cpu.correct);
  CHECK(rel_error(emu.grad(net.layer_count()).data(), dlogits.data(), dlogits.size()) <= 1e-6);
  const auto params = net.parameters();
  for (std::size_t p = 0; p < params.size(); ++p) {
    INFO("gradient of ", params[p]->name);
    const ParamSlot& s = emu.layout.slots[p];
    CHECK(rel_error(emu.grads.data() + s.offset, params[p]->grad.data(), s.count) <= 1e-5);
  }
  // Each layer's input gradient, held to the CPU layer's own backward given the same dL/dy.
  for (std::size_t i = 1; i < net.layer_count(); ++i) {
    INFO("input gradient of layer ", i, " ", net.layer(i).spec());
    auto layer = net.layer(i).clone();
    Tensor y, dx;
    const Tensor& in = net.activation(i - 1);
    layer->forward(in, y);
    Tensor dy = Tensor::from_shape(y.shape());
    std::ranges::copy(emu.grad(i + 1), dy.begin());
    layer->backward(in, y, dy, &dx);
    REQUIRE(emu.grad(i).size() == dx.size());
    CHECK(rel_error(emu.grad(i).data(), dx.data(), dx.size()) <= 1e-5);
  }
}

}  // namespace

TEST_CASE("cuda host: the row-major to cuBLAS mapping computes C = op(A) op(B) for every transpose case") {
  Rng rng(3);
  const int m = 5, n = 7, k = 3;
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      // Row-major A is m x k (or k x m when transposed), B is k x n (or n x k); padded rows.
      const int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
      std::vector<float> a((ta ? k : m) * lda), b((tb ? n : k) * ldb), c(m * ldc, 0.0f);
      for (auto& v : a) v = rng.uniform(-1, 1);
      for (auto& v : b) v = rng.uniform(-1, 1);
      emulated_gemm(ta, tb, m, n, k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), ldc);
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
          double want = 0;
          for (int p = 0; p < k; ++p)
            want += double(ta ? a[p * lda + i] : a[i * lda + p]) * double(tb ? b[j * ldb + p] : b[p * ldb + j]);
          CHECK(c[i * ldc + j] == doctest::Approx(want).epsilon(1e-5));
        }
    }
}

TEST_CASE("cuda host: every layer's output and every gradient of the emulated kernels matches the CPU core") {
  check_preset_against_core("lenet", 3);
  check_preset_against_core("lenet5-rowe98", 3);
  check_preset_against_core("lenet5", 4);
  check_preset_against_core("lenet-web", 2);
  // Other geometries the spec allows: 3x3 same, a ragged max pool (5x5 -> 2x2), valid, 2 channels in.
  check_preset_against_core("input(2,9,9) conv(4,3,same) relu maxpool(2) conv(3,2,valid) sigmoid avgpool(2) flatten "
                            "dense(5) tanh dense(3)",
                            2);
}

TEST_CASE("cuda host: the optimiser updates match core's Sgd and Adam element by element") {
  Rng rng(5);
  Parameter p{"w", {40}, Tensor::from_shape({40}), Tensor::from_shape({40})};
  for (auto& v : p.value) v = rng.uniform(-1, 1);
  auto run = [&](Optimizer& opt, auto&& device_step) {
    std::vector<float> w(p.value.begin(), p.value.end()), s1(40, 0.0f), s2(40, 0.0f);
    const Tensor start = p.value;
    for (int step = 1; step <= 4; ++step) {
      for (auto& g : p.grad) g = rng.uniform(-1, 1);
      opt.step();
      for (std::size_t j = 0; j < 40; ++j) device_step(step, w[j], p.grad.data()[j], s1[j], s2[j]);
    }
    CHECK(rel_error(w.data(), p.value.data(), 40) <= 1e-6);
    p.value = start;
  };
  for (const bool nesterov : {false, true}) {
    const SgdConfig c{0.05f, 0.9f, nesterov, 1e-3f};
    Sgd sgd({&p}, c);
    const OptimizerSettings s = optimizer_settings(sgd);
    CHECK(s.kind == OptimizerSettings::Kind::sgd);
    CHECK(s.slots() == std::vector<std::string>{"momentum"});
    run(sgd, [&](int, float& w, float g, float& v, float&) { sgd_update(s.learning_rate, s.sgd, w, g, &v); });
  }
  {
    Sgd plain({&p}, SgdConfig{0.1f, 0.0f, false, 0.0f});
    const OptimizerSettings s = optimizer_settings(plain);
    CHECK(s.slots().empty());
    run(plain, [&](int, float& w, float g, float&, float&) { sgd_update(s.learning_rate, s.sgd, w, g, nullptr); });
  }
  {
    Adam adam({&p}, AdamConfig{0.01f, 0.9f, 0.999f, 1e-7f, 1e-4f});
    const OptimizerSettings s = optimizer_settings(adam);
    CHECK(s.kind == OptimizerSettings::Kind::adam);
    CHECK(s.slots() == std::vector<std::string>{"adam_m", "adam_v"});
    run(adam, [&](int step, float& w, float g, float& m, float& v) {
      adam_update(adam_alpha(s.learning_rate, s.adam.beta1, s.adam.beta2, step), 1.0f, s.adam, w, g, m, v);
    });
  }
}

TEST_CASE("cuda host: batch gathering normalises as core's gather_batch, through the epoch order") {
  Dataset d;
  d.count = 5;
  d.rows = 2;
  d.cols = 3;
  for (std::size_t i = 0; i < 30; ++i) d.images.push_back(static_cast<std::uint8_t>(i * 8));
  d.labels = {0, 1, 2, 3, 4};
  const std::size_t order[] = {4, 0, 3, 1, 2};
  const Normalization norm{0.1307f, 0.3081f};
  Tensor want;
  std::vector<std::uint8_t> labels;
  gather_batch(d, order + 1, 3, norm, want, labels);  // a batch starting at cursor 1
  const std::vector<std::uint32_t> device = device_order(order, 5);
  const float scale = 1.0f / (255.0f * norm.std), shift = norm.mean / norm.std;
  for (index_t t = 0; t < 18; ++t)
    CHECK(gather_pixel(d.images.data(), device.data() + 1, t, 6, scale, shift) == want.data()[t]);
  CHECK(labels == std::vector<std::uint8_t>{0, 3, 1});
}
