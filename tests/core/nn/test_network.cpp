#include <doctest/doctest.h>

#include "core/base/error.hpp"
#include "core/nn/loss.hpp"
#include "core/nn/network.hpp"
#include "support/layer_checks.hpp"

using namespace lenet;

namespace {
// What building a network from spec says: its error, or "no error".
std::string spec_error(const char* spec) {
  try {
    Network net(spec);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace
using lenet::testing::close;
using lenet::testing::random_tensor;

TEST_CASE("presets have the seed tutorials' exact parameter counts") {
  CHECK(Network("lenet").parameter_count() == 1256080);
  CHECK(Network("lenet5-rowe98").parameter_count() == 331214);
  CHECK(Network("lenet5").parameter_count() == 61706);
  // The page's default network: 32*25+32 + 64*32*25+64 + 64*64*9+64 + 64*2*2*10+10.
  const Network web("lenet-web");
  CHECK(web.parameter_count() == 91594);
  CHECK(web.num_classes() == 10);
}

TEST_CASE("parameters carry PyTorch's names and shapes") {
  Network net("lenet");
  std::vector<std::string> names;
  for (const Parameter* p : net.parameters()) names.push_back(p->name);
  CHECK(names == std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                                          "fc1.bias", "fc2.weight", "fc2.bias"});
  CHECK(net.parameters()[0]->value.shape() == std::vector<std::size_t>{20, 1, 5, 5});
  CHECK(net.parameters()[4]->value.shape() == std::vector<std::size_t>{500, 2450});
  CHECK(net.num_classes() == 10);
}

TEST_CASE("a spec string rebuilds the same network, and the canonical spec is stable") {
  for (const auto& preset : arch_presets()) {
    const std::string name = preset.first;  // clang 14 cannot capture structured bindings
    CAPTURE(name);
    Network a(name);
    Network b(a.spec());
    CHECK(a.spec() == b.spec());
    CHECK(a.parameter_count() == b.parameter_count());
  }
  Network shorthand("input(1,28,28) conv(6,5) relu maxpool flatten dense(10)");
  CHECK(shorthand.spec() == "input(1,28,28) conv(6,5,valid) relu maxpool(2) flatten dense(10)");
}

TEST_CASE("bad architecture specs give one clear error") {
  CHECK(spec_error("lenet6").find("unknown architecture preset 'lenet6'") != std::string::npos);
  CHECK(spec_error("conv(6,5) dense(10)").find("must start with input(C,H,W)") != std::string::npos);
  CHECK(spec_error("input(1,28,28) conv(6,x) dense(10)").find("'x' where a positive whole number") != std::string::npos);
  CHECK(spec_error("input(1,28,28) foo dense(10)").find("unknown layer 'foo'") != std::string::npos);
  CHECK(spec_error("input(1,28,28) conv(6,5,same").find("unbalanced") != std::string::npos);
  CHECK(spec_error("input(1,28,28) conv(6,4,same) flatten dense(10)").find("odd kernel") != std::string::npos);
  CHECK(spec_error("input(1,28,28) conv(6,5)").find("must end in dense") != std::string::npos);
  // A flatten at the end gave a network with one "class" per value (found by fuzz_spec).
  CHECK(spec_error("input(2,6,5) conv(4,3) relu flatten") ==
        "architecture spec: the network must end in dense(CLASSES) giving one score per class, but it ends with "
        "'flatten' (shape 48)");
  CHECK(spec_error("input(1,8,8) flatten dense(10) relu") == "no error");  // activations after the scores are fine
  // Too many valid convs and pools for a 28x28 input: the error names the layer and the shape.
  const std::string deep = spec_error(
      "input(1,28,28) conv(6,5) maxpool conv(16,5) maxpool conv(120,5) maxpool flatten dense(10)");
  CHECK(deep.find("'conv(120,5)' does not fit its input 16x4x4") != std::string::npos);
}

TEST_CASE("a spec asking for gigabytes is refused before anything is allocated, and sizes cannot wrap") {
  // 256 x 3,000,000 weights would be 3 GB (6 GB with their gradients).
  CHECK(spec_error("lenet") == "no error");
  CHECK(spec_error("input(1,28,28) conv(16,5) maxpool(2) conv(16,5) maxpool(2) flatten dense(3000000) dense(10)") ==
        "architecture spec: more than 16777216 parameters (at 'dense(3000000)', fc1.weight 3000000x256)");
  CHECK(spec_error("input(1,28,28) flatten dense(100000000) dense(10)") ==
        "architecture spec: 'dense(100000000)' gives 100000000, more than 16777216 values per image");
  // Sizes whose product would wrap around 64 bits.
  CHECK(spec_error("input(999999999,999999999,999999999) flatten dense(10)") ==
        "architecture spec: input(999999999x999999999x999999999) has more than 16777216 values per image");
  CHECK(spec_error("input(1,4096,4096) conv(64,1) relu flatten dense(10)") ==
        "architecture spec: 'conv(64,1)' gives 64x4096x4096, more than 16777216 values per image");
  CHECK(spec_error("input(16,1024,1024) conv(1,9,same) flatten dense(10)").find("would unroll more than") !=
        std::string::npos);
  // The shapes alone, for checking a file's tensors first: nothing allocated, the same names.
  const auto shapes = Network::parameter_shapes(parse_arch("lenet"));
  const Network lenet("lenet");
  REQUIRE(shapes.size() == lenet.parameters().size());
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    CHECK(shapes[i].name == lenet.parameters()[i]->name);
    CHECK(shapes[i].shape == Shape(lenet.parameters()[i]->value.shape().begin(), lenet.parameters()[i]->value.shape().end()));
  }
}

TEST_CASE("softmax cross-entropy: hand-computed values and stability with huge logits") {
  Tensor logits = Tensor::from_shape({2, 3});
  logits(0, 0) = 1; logits(0, 1) = 2; logits(0, 2) = 3;
  logits(1, 0) = 1000; logits(1, 1) = 0; logits(1, 2) = -1000;
  const std::uint8_t labels[2] = {2, 1};
  Tensor d;
  const LossResult r = softmax_cross_entropy(logits, labels, 0.5f, &d);
  // Row 0: -log(e^3 / (e + e^2 + e^3)) = 0.40760596; row 1: -log(e^0 / e^1000) = 1000.
  CHECK(r.loss_sum == doctest::Approx(1000.40760596).epsilon(1e-9));
  CHECK(r.correct == 1);
  CHECK(d(0, 0) == doctest::Approx(0.5 * 0.09003057));
  CHECK(d(0, 2) == doctest::Approx(0.5 * (0.66524096 - 1)));
  CHECK(d(1, 0) == doctest::Approx(0.5));
  CHECK(d(1, 1) == doctest::Approx(-0.5));
  for (float v : d) CHECK(std::isfinite(v));
  float probs[3];
  softmax(&logits(1, 0), 3, probs);
  CHECK(probs[0] == doctest::Approx(1.0));
  CHECK(probs[2] == 0.0f);
}

TEST_CASE("whole-network gradients match finite differences for every preset") {
  Rng rng(11);
  for (const std::string preset : {"lenet5", "lenet5-rowe98", "lenet"}) {
    CAPTURE(preset);
    Network net(preset);
    net.initialize(rng);
    lenet::testing::randomize_biases(net.parameters(), rng);
    const Tensor x = random_tensor({2, 1, 28, 28}, rng, 0, 1);
    const std::uint8_t labels[2] = {3, 7};
    Tensor d;
    softmax_cross_entropy(net.forward(x), labels, 0.5f, &d);
    net.backward(d);
    auto loss = [&] { return softmax_cross_entropy(net.forward(x), labels, 0.5f, nullptr).loss_sum * 0.5; };
    for (Parameter* p : net.parameters()) {
      const Tensor grad = p->grad;
      // A few positions per parameter, largest gradients first, so the check is meaningful.
      std::vector<std::size_t> order(grad.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::partial_sort(order.begin(), order.begin() + 3, order.end(), [&](std::size_t a, std::size_t b) {
        return std::fabs(grad.data()[a]) > std::fabs(grad.data()[b]);
      });
      for (std::size_t j = 0; j < 3; ++j) {
        const std::size_t i = order[j];
        // Small step: ReLU and max-pool kinks are crossed by larger ones (a bias moves every
        // position of its channel); float rounding of the loss stays far below the tolerance.
        const float saved = p->value.data()[i], eps = 1e-3f;
        p->value.data()[i] = saved + eps;
        const double plus = loss();
        p->value.data()[i] = saved - eps;
        const double minus = loss();
        p->value.data()[i] = saved;
        const double numeric = (plus - minus) / (2 * eps);
        INFO(p->name, "[", i, "] analytic ", grad.data()[i], " numeric ", numeric);
        CHECK(close(grad.data()[i], numeric, 1e-3, 5e-2));
      }
    }
  }
}

TEST_CASE("a copied network computes the same logits and owns its parameters") {
  Rng rng(12);
  Network a("lenet5");
  a.initialize(rng);
  Network b = a;
  const Tensor x = random_tensor({3, 1, 28, 28}, rng, 0, 1);
  const Tensor la = a.forward(x);
  CHECK(b.forward(x) == la);
  b.parameters()[0]->value.data()[0] += 1.0f;
  CHECK(a.forward(x) == la);
  CHECK_FALSE(b.forward(x) == la);
  b.copy_parameters_from(a);
  CHECK(b.forward(x) == la);
}
