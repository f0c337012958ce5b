#pragma once
// A network and what is known about it, as one safetensors file: the parameters under PyTorch's
// names, and __metadata__ with the architecture spec, input geometry and normalisation, the
// recipe, the data set, the test accuracy and the trainer version. The same file is the trainer's
// output, a checkpoint (with extra "optimizer." and "best." tensors) and the page's model.

#include <map>
#include <string>

#include "core/nn/network.hpp"
#include "core/formats/safetensors.hpp"

namespace lenet {

// Input x = (pixel / 255 - mean) / std, where pixel is the ink level 0..255 (white ink on black,
// as in MNIST).
struct Normalization {
  float mean = 0.0f;
  float std = 1.0f;
};

struct ModelInfo {
  Normalization normalization;
  std::string recipe;           // e.g. "pyimagesearch"; empty if trained by hand-picked flags
  std::string dataset;          // e.g. "mnist"
  std::string test_accuracy;    // as a decimal fraction, e.g. "0.9912"; empty if not measured
  std::string trainer_version;  // e.g. "lenet-train 0.1.0"
  std::map<std::string, std::string> extra;  // any other metadata, kept as it is
  // How the file it was loaded from stored the parameters. A fact about that file, not the model:
  // to_safetensors writes the tensors' own dtype, never this.
  Dtype weights_dtype = Dtype::f32;
};

struct Model {
  Network network;
  ModelInfo info;
};

// Metadata keys written by to_safetensors (besides the extra ones).
namespace metadata_key {
inline constexpr const char* format = "format";
inline constexpr const char* arch = "arch";
inline constexpr const char* input_shape = "input_shape";
inline constexpr const char* norm_mean = "normalization_mean";
inline constexpr const char* norm_std = "normalization_std";
inline constexpr const char* recipe = "recipe";
inline constexpr const char* dataset = "dataset";
inline constexpr const char* test_accuracy = "test_accuracy";
inline constexpr const char* trainer_version = "trainer_version";
inline constexpr const char* parameters = "parameters";
inline constexpr const char* dtype = "dtype";  // how the file stores its weights: F32, F16, BF16
}  // namespace metadata_key

SafetensorsFile to_safetensors(const Network& network, const ModelInfo& info);
// Rebuilds the network from the file's "arch" and checks that every parameter is present with
// the shape the architecture needs, and that nothing else is there (tensors named "optimizer.*"
// and "best.*", the optimiser's state and early stopping's best weights, belong to checkpoints
// and are ignored here).
Model model_from_safetensors(const SafetensorsFile& file, const std::string& source);

void save_model(const std::string& path, const Network& network, const ModelInfo& info);
Model load_model(const std::string& path);
Model load_model_from_bytes(const std::uint8_t* bytes, std::size_t size, const std::string& source);

}  // namespace lenet
