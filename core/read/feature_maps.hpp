#pragma once
// "What each layer sees": the outputs of a network's convolution and pooling layers for one
// digit, one [C, H, W] tensor per layer, for views such as the page's (Keras.js and ConvNetJS had
// one). Derived from the network's layers, so it fits any architecture, not one network.

#include <string>
#include <vector>

#include "core/formats/model_io.hpp"
#include "core/ink/preprocess.hpp"
#include "core/base/tensor.hpp"

namespace lenet {

struct FeatureMap {
  std::string name;  // PyTorch-style, as the parameters are named: "conv1", "pool1", ...
  std::string kind;  // "conv", "maxpool" or "avgpool"
  Shape shape;       // [channels, height, width]
  std::vector<float> values;  // a copy of the layer's output for the digit, row-major in `shape`
};

// Whether layer `layer` counts as a feature-map layer: the one place that decides (convolutions
// and poolings; activations, flatten and dense layers do not).
bool is_feature_map_layer(const Layer& layer);

// One forward pass on the digit (normalised as the model was trained), then every feature-map
// layer's output, in network order. Pooling layers are numbered on their own (pool1, pool2, ...)
// whatever their kind. An empty digit (nothing drawn) gives an empty list, as it gives no
// prediction. Throws lenet::Error when the network does not take a 1x28x28 input.
std::vector<FeatureMap> feature_maps(Network& network, const Normalization& norm, const Digit28& digit);

}  // namespace lenet
