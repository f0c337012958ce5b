// The GPU held to the CPU core, in the manner of llm.c's test_gpt2.cu: the same weights and batch
// through both, then every layer's output, the loss, every gradient and the optimiser steps
// compared (relative to each tensor's largest magnitude, <= 1e-4), and 20 training steps of each
// preset on MNIST giving the same losses within 1e-3, linked in and through the loaded module
// (liblenet-cuda.so, as lenet-train uses it). Needs a GPU: gpu_main.cpp skips without one.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include "core/nn/loss.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "core/train/training.hpp"
#include "native_trainer/cuda/module_loader.hpp"
#include "native_trainer/cuda/trainer.hpp"
#include "native_trainer/cuda/trainer_probe.hpp"
#include "support/layer_checks.hpp"

using namespace lenet;

namespace {

double rel_error(const float* got, const float* want, std::size_t n) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < n; ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(got[i]) - want[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(want[i])));
  }
  return std::isfinite(diff) ? diff / std::max(scale, 1e-30) : INFINITY;
}

void check_close(const std::vector<float>& got, const float* want, std::size_t n, const std::string& what,
                 double tol = 1e-4) {
  INFO(what);
  REQUIRE(got.size() == n);
  const double e = rel_error(got.data(), want, n);
  INFO("relative error ", e);
  CHECK(e <= tol);
}

std::unique_ptr<Optimizer> make_opt(const std::string& kind, Network& net) {
  if (kind == "sgd") return std::make_unique<Sgd>(net.parameters(), SgdConfig{0.01f, 0.0f, false, 0.0f});
  if (kind == "momentum") return std::make_unique<Sgd>(net.parameters(), SgdConfig{0.01f, 0.9f, false, 0.0f});
  if (kind == "nesterov") return std::make_unique<Sgd>(net.parameters(), SgdConfig{0.01f, 0.9f, true, 5e-4f});
  return std::make_unique<Adam>(net.parameters(), AdamConfig{0.001f, 0.9f, 0.999f, 1e-7f, 0.0f});
}

const Dataset& mnist_train() {
  static const Dataset d = load_idx_dataset(LENET_MNIST_DIR "/train-images-idx3-ubyte",
                                            LENET_MNIST_DIR "/train-labels-idx1-ubyte");
  return d;
}

const Dataset& mnist_test() {
  static const Dataset d = load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte",
                                            LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
  return d;
}

void check_layers(const char* preset, std::size_t n) {
  INFO("preset ", preset);
  Network net(preset);
  Rng rng(21);
  net.initialize(rng);
  testing::randomize_biases(net.parameters(), rng);
  auto opt = make_opt("sgd", net);
  cuda::Trainer trainer(net, *opt, n);
  cuda::TrainerProbe gpu(trainer);

  // A real MNIST batch, normalised as training does.
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 100);
  Tensor x;
  std::vector<std::uint8_t> labels;
  gather_batch(mnist_train(), idx.data(), n, Normalization{0.1307f, 0.3081f}, x, labels);

  gpu.forward(x.data(), n);
  net.forward(x);
  for (std::size_t i = 0; i < net.layer_count(); ++i)
    check_close(gpu.activation(i), net.activation(i).data(), net.activation(i).size(),
                "output of layer " + std::to_string(i) + " " + net.layer(i).spec());

  Tensor dlogits;
  const LossResult cpu = softmax_cross_entropy(net.activation(net.layer_count() - 1), labels.data(),
                                               1.0f / static_cast<float>(n), &dlogits);
  net.backward(dlogits);
  const LossResult dev = gpu.loss_and_backward(labels.data(), n);
  CHECK(dev.loss_sum == doctest::Approx(cpu.loss_sum).epsilon(1e-4));
  CHECK(dev.correct == cpu.correct);
  check_close(gpu.logits_gradient(), dlogits.data(), dlogits.size(), "dL/dlogits");
  const auto params = net.parameters();
  for (std::size_t p = 0; p < params.size(); ++p)
    check_close(gpu.parameter_gradient(p), params[p]->grad.data(), params[p]->grad.size(),
                "gradient of " + params[p]->name);
  // Every layer's input gradient, held to the CPU layer's backward from the GPU's own dL/dy.
  for (std::size_t i = 1; i < net.layer_count(); ++i) {
    auto layer = net.layer(i).clone();
    const Tensor& in = net.activation(i - 1);
    Tensor y, dx;
    layer->forward(in, y);
    const std::vector<float> dy_gpu = i + 1 == net.layer_count() ? gpu.logits_gradient() : gpu.input_gradient(i + 1);
    Tensor dy = Tensor::from_shape(y.shape());
    REQUIRE(dy_gpu.size() == dy.size());
    std::copy(dy_gpu.begin(), dy_gpu.end(), dy.begin());
    layer->backward(in, y, dy, &dx);
    check_close(gpu.input_gradient(i), dx.data(), dx.size(), "input gradient of layer " + std::to_string(i) + " " +
                                                                  net.layer(i).spec());
  }
}

// Makes the GPU trainer under test: linked in (cuda::Trainer) or from the loaded module.
using MakeTrainer = std::unique_ptr<cuda::GpuTrainer> (*)(const Network&, Optimizer&, std::size_t batch_size);

std::unique_ptr<cuda::GpuTrainer> linked_trainer(const Network& net, Optimizer& opt, std::size_t batch_size) {
  return std::make_unique<cuda::Trainer>(net, opt, batch_size);
}

// Losses of `steps` training steps on MNIST from the same start, CPU and GPU (the real training
// path: data uploaded once, the order on the device, captured steps, totals read back).
void check_training(const char* preset, const std::string& optimizer, std::size_t batch, std::size_t steps,
                    MakeTrainer make_trainer = linked_trainer) {
  INFO("preset ", preset, ", ", optimizer, ", batch ", batch);
  Network cpu_net(preset);
  Rng rng(42);
  cpu_net.initialize(rng);
  Network gpu_net = cpu_net;
  auto cpu_opt = make_opt(optimizer, cpu_net);
  auto gpu_opt = make_opt(optimizer, gpu_net);
  const std::unique_ptr<cuda::GpuTrainer> trainer = make_trainer(gpu_net, *gpu_opt, batch);
  cuda::GpuTrainer& gpu = *trainer;

  const Dataset& data = mnist_train();
  const Normalization norm{0.0f, 1.0f};
  std::vector<std::size_t> order(batch * steps);
  std::iota(order.begin(), order.end(), 0);
  Rng order_rng(7);
  shuffle(std::span(order), order_rng);
  gpu.set_training_data(data, norm);
  gpu.set_order(order.data(), order.size());

  Tensor x;
  std::vector<std::uint8_t> labels;
  for (std::size_t s = 0; s < steps; ++s) {
    gather_batch(data, order.data() + s * batch, batch, norm, x, labels);
    const LossResult r = forward_backward(cpu_net, x, labels.data(), batch);
    cpu_opt->step();
    gpu.train_batch(s * batch, batch);
    const BatchTotals t = gpu.take_totals();
    REQUIRE(t.batches == 1);
    REQUIRE(t.first_bad == -1);
    INFO("step ", s + 1);
    CHECK(std::fabs(t.loss_sum / double(batch) - r.loss_sum / double(batch)) <= 1e-3);
  }
  gpu.download(gpu_net, *gpu_opt);
  CHECK(gpu_opt->steps() == cpu_opt->steps());
  const auto a = gpu_net.parameters();
  const auto b = cpu_net.parameters();
  for (std::size_t p = 0; p < a.size(); ++p) {
    INFO("after ", steps, " steps: ", a[p]->name);
    CHECK(rel_error(a[p]->value.data(), b[p]->value.data(), a[p]->value.size()) <= 1e-3);
  }
}

}  // namespace

TEST_CASE("gpu: lenet, every layer's output and gradient matches the CPU") { check_layers("lenet", 16); }
TEST_CASE("gpu: lenet5-rowe98, every layer's output and gradient matches the CPU") { check_layers("lenet5-rowe98", 16); }
TEST_CASE("gpu: lenet5, every layer's output and gradient matches the CPU") { check_layers("lenet5", 16); }
TEST_CASE("gpu: lenet-web (the page's shipped model), every layer's output and gradient matches the CPU") {
  check_layers("lenet-web", 16);
}

TEST_CASE("gpu: optimiser steps (SGD, momentum, Nesterov with weight decay, Adam) match core's") {
  for (const std::string kind : {"sgd", "momentum", "nesterov", "adam"}) {
    INFO("optimiser ", kind);
    Network cpu_net("lenet5");
    Rng rng(9);
    cpu_net.initialize(rng);
    Network gpu_net = cpu_net;
    auto cpu_opt = make_opt(kind, cpu_net);
    auto gpu_opt = make_opt(kind, gpu_net);
    cuda::Trainer gpu(gpu_net, *gpu_opt, 8);
    cuda::TrainerProbe probe(gpu);
    const Tensor x = testing::random_tensor(batch_shape(8, cpu_net.input_shape()), rng, 0.0f, 1.0f);
    std::vector<std::uint8_t> labels(8);
    for (auto& l : labels) l = static_cast<std::uint8_t>(rng.below(10));
    for (int step = 0; step < 3; ++step) {
      forward_backward(cpu_net, x, labels.data(), 8);
      cpu_opt->step();
      probe.forward(x.data(), 8);
      probe.loss_and_backward(labels.data(), 8);
      probe.optimizer_step();
    }
    gpu.download(gpu_net, *gpu_opt);
    CHECK(gpu_opt->steps() == 3);
    const auto a = gpu_net.parameters();
    const auto b = cpu_net.parameters();
    for (std::size_t p = 0; p < a.size(); ++p) {
      INFO(a[p]->name);
      CHECK(rel_error(a[p]->value.data(), b[p]->value.data(), a[p]->value.size()) <= 1e-4);
    }
    auto sa = gpu_opt->state();
    auto sb = cpu_opt->state();
    for (std::size_t i = 0; i < sa.size(); ++i) {
      INFO(sa[i].first);
      CHECK(rel_error(sa[i].second->data(), sb[i].second->data(), sa[i].second->size()) <= 1e-4);
    }
  }
}

TEST_CASE("gpu: 20 training steps of each preset give the CPU's losses within 1e-3") {
  check_training("lenet", "sgd", 128, 20);
  check_training("lenet", "momentum", 64, 20);
  check_training("lenet5-rowe98", "adam", 32, 20);
  check_training("lenet5", "adam", 64, 20);
  check_training("lenet-web", "adam", 128, 20);  // the web recipe's optimiser and batch
}

TEST_CASE("gpu: through the loaded CUDA module (as lenet-train trains), 20 steps give the CPU's losses") {
  const cuda::LoadedModule module = cuda::open_module(LENET_CUDA_MODULE_FILE);
  INFO(module.error);
  REQUIRE(module.exports);
  REQUIRE(module.exports->unavailable_reason().empty());
  check_training("lenet", "sgd", 128, 20, module.exports->make_trainer);
  check_training("lenet-web", "adam", 128, 20, module.exports->make_trainer);
}

TEST_CASE("gpu: evaluation gives the CPU's loss, accuracy and predictions") {
  Network net("lenet5-rowe98");
  Rng rng(4);
  net.initialize(rng);
  auto opt = make_opt("adam", net);
  cuda::Trainer gpu(net, *opt, 64);
  const Dataset& test = mnist_test();
  std::vector<std::size_t> idx(1000);
  std::iota(idx.begin(), idx.end(), 0);
  std::vector<std::uint8_t> predictions;
  const Normalization norm{0.1307f, 0.3081f};
  const LossResult g = gpu.evaluate(test, idx.data(), idx.size(), norm, &predictions);
  const LossResult c = evaluate(net, test, 0, 1000, norm);
  CHECK(g.loss_sum == doctest::Approx(c.loss_sum).epsilon(1e-4));
  CHECK(std::abs(static_cast<long>(g.correct) - static_cast<long>(c.correct)) <= 1);
  REQUIRE(predictions.size() == 1000);
  std::size_t right = 0;
  for (std::size_t i = 0; i < 1000; ++i) right += predictions[i] == test.labels[i];
  CHECK(right == g.correct);
}

TEST_CASE("gpu: a non-finite loss stops the updates and names its batch") {
  Network net("lenet5");
  Rng rng(2);
  net.initialize(rng);
  Network start = net;
  net.parameters().back()->value.data()[3] = NAN;  // fc2.bias: every logit row gets a NaN
  start.copy_parameters_from(net);
  auto opt = make_opt("momentum", net);
  cuda::Trainer gpu(net, *opt, 16);
  std::vector<std::size_t> order(64);
  std::iota(order.begin(), order.end(), 0);
  gpu.set_training_data(mnist_train(), Normalization{});
  gpu.set_order(order.data(), order.size());
  for (std::size_t b = 0; b < 4; ++b) gpu.train_batch(b * 16, 16);
  const BatchTotals t = gpu.take_totals();
  CHECK(t.batches == 4);
  CHECK(t.first_bad == 0);
  CHECK(t.images == 0);
  gpu.download(net, *opt);
  CHECK(opt->steps() == 0);
  const auto a = net.parameters();
  const auto b = start.parameters();
  for (std::size_t p = 0; p < a.size(); ++p)
    CHECK(std::memcmp(a[p]->value.data(), b[p]->value.data(), a[p]->value.size() * sizeof(float)) == 0);
}

TEST_CASE("gpu: totals over a window of batches, and a run continued from downloaded state, agree") {
  Network net("lenet5");
  Rng rng(8);
  net.initialize(rng);
  auto opt = make_opt("adam", net);
  std::vector<std::size_t> order(32 * 12);
  std::iota(order.begin(), order.end(), 0);
  cuda::Trainer a(net, *opt, 32);
  a.set_training_data(mnist_train(), Normalization{});
  a.set_order(order.data(), order.size());
  for (std::size_t b = 0; b < 6; ++b) a.train_batch(b * 32, 32);
  const BatchTotals first = a.take_totals();
  CHECK(first.batches == 6);
  CHECK(first.images == 6 * 32);
  CHECK(first.correct <= first.images);

  // Continue on `a`, and on a fresh trainer built from a's downloaded weights and Adam state.
  Network net_b = net;
  auto opt_b = make_opt("adam", net_b);
  a.download(net_b, *opt_b);
  CHECK(opt_b->steps() == 6);
  cuda::Trainer b(net_b, *opt_b, 32);
  b.set_training_data(mnist_train(), Normalization{});
  b.set_order(order.data(), order.size());
  for (std::size_t k = 6; k < 12; ++k) {
    a.train_batch(k * 32, 32);
    b.train_batch(k * 32, 32);
  }
  const BatchTotals ta = a.take_totals(), tb = b.take_totals();
  CHECK(ta.batches == 6);
  CHECK(ta.loss_sum == doctest::Approx(tb.loss_sum).epsilon(1e-6));
}
