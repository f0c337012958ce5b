#include "core/read/feature_maps.hpp"

#include "core/read/inference.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/layers/pool2d.hpp"

namespace lenet {

namespace {

// "conv1" from "conv1.weight": the convolution's own parameter prefix, so the names here and in
// a model file never drift apart.
std::string parameter_prefix(const Network& network, std::size_t i) {
  const std::string& first = network.layer_parameters(i).at(0)->name;
  return first.substr(0, first.find('.'));
}

}  // namespace

bool is_feature_map_layer(const Layer& layer) {
  return dynamic_cast<const Conv2D*>(&layer) != nullptr || dynamic_cast<const Pool2D*>(&layer) != nullptr;
}

std::vector<FeatureMap> feature_maps(Network& network, const Normalization& norm, const Digit28& digit) {
  std::vector<FeatureMap> maps;
  if (digit.empty) {
    check_digit_input(network);
    return maps;
  }
  forward_digit(network, norm, digit);
  std::size_t pools = 0;
  for (std::size_t i = 0; i < network.layer_count(); ++i) {
    const Layer& layer = network.layer(i);
    if (!is_feature_map_layer(layer)) continue;
    FeatureMap map;
    if (const auto* pool = dynamic_cast<const Pool2D*>(&layer)) {
      map.name = "pool" + std::to_string(++pools);
      map.kind = pool->kind() == PoolKind::max ? "maxpool" : "avgpool";
    } else {
      map.name = parameter_prefix(network, i);
      map.kind = "conv";
    }
    // The batch axis (one image) dropped: [1, C, H, W] -> [C, H, W]. (A plain vector, not a
    // Tensor: xtensor's reshape would add kilobytes to the page's module.)
    const Tensor& output = network.activation(i);
    map.shape = layer.output_shape();
    map.values.assign(output.data(), output.data() + output.size());
    maps.push_back(std::move(map));
  }
  return maps;
}

}  // namespace lenet
