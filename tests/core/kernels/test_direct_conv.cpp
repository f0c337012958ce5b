// The direct convolution (one image: the page, `lenet-train predict`) against the im2col + GEMM
// path (batches: training, evaluation). Conv2D picks the path by the batch size
// (direct_conv_max_images), so a batch one larger than that runs the GEMM path and each of its
// images alone the direct one: no test hook, the layer's own choice is what is compared.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/kernels/direct_conv.hpp"
#include "core/kernels/gemm.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/network.hpp"
#include "support/layer_checks.hpp"

using namespace lenet;
using lenet::testing::close;
using lenet::testing::random_tensor;

namespace {

constexpr std::size_t batch = direct_conv_max_images + 1;

Tensor image(const Tensor& x, std::size_t s) {
  const std::size_t per = x.size() / x.shape()[0];
  Shape shape(x.shape().begin(), x.shape().end());
  shape[0] = 1;
  Tensor one = Tensor::from_shape(shape);
  std::copy(x.data() + s * per, x.data() + (s + 1) * per, one.data());
  return one;
}

// How many values of image s of `batched` differ from `single` by more than 1e-5.
std::size_t mismatches(const Tensor& batched, std::size_t s, const Tensor& single) {
  const std::size_t per = single.size();
  std::size_t bad = 0;
  for (std::size_t i = 0; i < per; ++i)
    if (!close(single.data()[i], batched.data()[s * per + i], 1e-5, 1e-5)) ++bad;
  return bad;
}

// Runs f once per kernel the GEMM can select (the direct convolution follows the same choice),
// then restores the best one.
template <class F>
void on_every_arch(F&& f) {
  for (const std::string& arch : gemm_archs_available()) {
    CAPTURE(arch);
    gemm_use_arch(arch);
    f();
  }
  gemm_use_arch(gemm_archs_available().front());
}

}  // namespace

TEST_CASE("direct convolution equals the im2col + GEMM path on random geometries, on every kernel") {
  Rng rng(41);
  on_every_arch([&] {
    for (int t = 0; t < 40; ++t) {
      const std::size_t c = 1 + rng.below(5), h = 1 + rng.below(12), w = 1 + rng.below(12);
      const std::size_t k = 1 + rng.below(7), out = 1 + rng.below(13);
      // same, valid or N (up to k, beyond what same needs)
      const std::size_t pick = rng.below(3), pad = pick == 0 ? (k - 1) / 2 : pick == 1 ? 0 : rng.below(k + 1);
      if (h + 2 * pad < k || w + 2 * pad < k) continue;
      CAPTURE(c); CAPTURE(h); CAPTURE(w); CAPTURE(out); CAPTURE(k); CAPTURE(pad);
      Conv2D conv({c, h, w}, out, k, pad, std::to_string(pad), "conv1");
      conv.allocate_parameters();
      for (Parameter* p : conv.parameters())
        for (auto& v : p->value) v = rng.uniform(-1, 1);
      const Tensor x = random_tensor({batch, c, h, w}, rng);
      Tensor batched, single;
      conv.forward(x, batched);  // im2col + GEMM
      for (std::size_t s = 0; s < batch; ++s) {
        conv.forward(image(x, s), single);  // direct
        CHECK(mismatches(batched, s, single) == 0);
      }
    }
  });
}

TEST_CASE("every preset classifies one image as it does in a batch: conv outputs and logits, on every kernel") {
  for (const auto& preset : arch_presets()) {  // not a structured binding: clang 14 cannot capture one
    const std::string& name = preset.first;
    CAPTURE(name);
    Network net(preset.second);
    Rng rng(7);
    net.initialize(rng);
    for (Parameter* p : net.parameters())  // non-zero biases, so that a dropped bias shows
      if (p->name.find("bias") != std::string::npos)
        for (auto& v : p->value) v = rng.uniform(-0.5f, 0.5f);
    const Shape& in = net.input_shape();
    const Tensor x = random_tensor({batch, in[0], in[1], in[2]}, rng);
    on_every_arch([&] {
      net.forward(x);
      std::vector<Tensor> batched;
      for (std::size_t i = 0; i < net.layer_count(); ++i) batched.push_back(net.activation(i));
      for (std::size_t s = 0; s < batch; ++s) {
        net.forward(image(x, s));
        for (std::size_t i = 0; i < net.layer_count(); ++i) {
          CAPTURE(i);
          CHECK(mismatches(batched[i], s, net.activation(i)) == 0);
        }
      }
    });
  }
}
