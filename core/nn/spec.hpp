#pragma once
// An architecture is a value: a spec string, with named presets for the seed tutorials' networks
// and the page's own (lenet-web).
//
//   input(1,28,28) conv(20,5,same) relu maxpool(2) conv(50,5,same) relu maxpool(2) flatten dense(500) relu dense(10)
//
// Tokens are separated by spaces; the first is always input(C,H,W). Layers:
//   conv(OUT,K[,PAD])  PAD: same | valid | N zero rows/columns on each side (default valid)
//   maxpool[(K)] avgpool[(K)]  window K (default 2), stride K
//   dense(UNITS)  flatten  relu  tanh  sigmoid
// The last layer's units are the classes; softmax lives in the loss (logits out).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/tensor.hpp"

namespace lenet {

struct LayerSpec {
  std::string kind;               // "conv", "maxpool", ...
  std::vector<std::string> args;  // as written, validated when the network is built

  std::string to_string() const;  // "conv(20,5,same)", or the bare kind without arguments
};

struct ArchSpec {
  Shape input;  // C, H, W
  std::vector<LayerSpec> layers;

  // Canonical text, the form saved in weights files; parse_arch(to_string()) gives the same spec.
  std::string to_string() const;
};

// Preset name -> spec string.
const std::map<std::string, std::string>& arch_presets();
// "lenet, lenet-web, lenet5, lenet5-rowe98": for messages and help texts.
std::string arch_preset_names();

// A layer argument or input dimension that must be a positive whole number ("20" in conv(20,5));
// `token` names where it was written. Throws lenet::Error naming the token otherwise.
std::size_t parse_positive(const std::string& text, const std::string& token);

// A preset name or a spec string. Throws lenet::Error naming the bad token.
ArchSpec parse_arch(std::string_view preset_or_spec);

}  // namespace lenet
