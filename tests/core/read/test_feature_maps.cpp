// "What each layer sees" (core/read/feature_maps.hpp): for every preset, one entry per convolution and
// pooling layer of the spec, named as PyTorch names them, shaped as the layer's output, holding
// what a plain forward pass on the same digit gives, even right after classify_digit (which may
// run extra passes on other inputs to judge whether the drawing looks like a digit).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/read/feature_maps.hpp"
#include "core/read/inference.hpp"
#include "core/nn/spec.hpp"

using namespace lenet;

namespace {

// A "7": a bar and a diagonal, drawn as on the page's 280x280 pad.
Digit28 seven() {
  return preprocess_drawing({280, 280, 18, {{{60, 50}, {220, 50}}, {{220, 50}, {120, 240}}}});
}

// Names and kinds read off the spec's tokens: convs numbered conv1, conv2, ...; poolings pool1, ...
std::vector<std::string> expected_entries(const std::string& preset) {
  std::vector<std::string> entries;
  std::size_t convs = 0, pools = 0;
  for (const LayerSpec& s : parse_arch(preset).layers) {
    if (s.kind == "conv") entries.push_back("conv" + std::to_string(++convs) + " conv");
    if (s.kind == "maxpool" || s.kind == "avgpool") entries.push_back("pool" + std::to_string(++pools) + " " + s.kind);
  }
  return entries;
}

// The values a plain forward pass of an identical network gives for layer i.
Tensor plain_forward_output(const Network& original, const Normalization& norm, const Digit28& digit, std::size_t i) {
  Network network(original);
  Tensor x = Tensor::from_shape({1, 1, digit_side, digit_side});
  normalize(digit, norm.mean, norm.std, x.data());
  network.forward(x);
  return network.activation(i);
}

}  // namespace

TEST_CASE("feature maps: every preset's conv and pool layers, shaped as the spec says, equal to a plain forward") {
  const Normalization norm{0.1307f, 0.3081f};
  const Digit28 digit = seven();
  REQUIRE_FALSE(digit.empty);
  for (const auto& named : arch_presets()) {
    const std::string& preset = named.first;  // not a structured binding: clang-14 cannot CAPTURE one
    CAPTURE(preset);
    Network network(preset);
    Rng rng(7);
    network.initialize(rng);
    // A classification of another digit first: its extra judging passes must not leak in.
    classify_digit(network, norm, preprocess_drawing({280, 280, 18, {{{140, 40}, {140, 240}}}}));
    const std::vector<FeatureMap> maps = feature_maps(network, norm, digit);

    std::vector<std::string> entries;
    for (const FeatureMap& m : maps) entries.push_back(m.name + " " + m.kind);
    CHECK(entries == expected_entries(preset));

    std::size_t next = 0;
    for (std::size_t i = 0; i < network.layer_count() && next < maps.size(); ++i) {
      if (!is_feature_map_layer(network.layer(i))) continue;
      const FeatureMap& m = maps[next++];
      CAPTURE(m.name);
      REQUIRE(m.shape.size() == 3);
      CHECK(m.shape == network.layer(i).output_shape());
      const Tensor want = plain_forward_output(network, norm, digit, i);
      REQUIRE(want.size() == m.values.size());
      REQUIRE(want.size() == shape_size(m.shape));
      std::size_t differ = 0;
      for (std::size_t k = 0; k < want.size(); ++k) differ += want.data()[k] != m.values[k];
      CHECK(differ == 0);
    }
    CHECK(next == maps.size());
  }
}

TEST_CASE("feature maps: the page's default network, layer by layer") {
  Network network("lenet-web");
  Rng rng(3);
  network.initialize(rng);
  const std::vector<FeatureMap> maps = feature_maps(network, {}, seven());
  std::vector<std::string> got;
  for (const FeatureMap& m : maps)
    got.push_back(m.name + " " + m.kind + " " + shape_string(m.shape));
  CHECK(got == std::vector<std::string>{"conv1 conv 32x28x28", "pool1 maxpool 32x14x14", "conv2 conv 64x14x14",
                                        "pool2 maxpool 64x7x7", "conv3 conv 64x5x5", "pool3 maxpool 64x2x2"});
  // The maps differ from digit to digit (what the view shows changes with the drawing).
  const std::vector<FeatureMap> other = feature_maps(network, {}, preprocess_drawing({280, 280, 18, {{{140, 40}, {140, 240}}}}));
  CHECK(other[0].values != maps[0].values);
}

TEST_CASE("feature maps: nothing drawn gives none, and a network that takes no digit is named") {
  Network network("lenet5");
  CHECK(feature_maps(network, {}, Digit28{}).empty());
  Network wide("input(3,32,32) conv(4,3) maxpool flatten dense(10)");
  CHECK_THROWS_WITH_AS(feature_maps(wide, {}, seven()), "the model expects 3x32x32 inputs, not a 1x28x28 digit", Error);
  CHECK_THROWS_AS(feature_maps(wide, {}, Digit28{}), Error);
}
