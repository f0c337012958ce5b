#include "core/formats/model_io.hpp"

#include <cmath>
#include <set>

#include "core/base/error.hpp"

namespace lenet {

namespace {

constexpr const char* format_name = "lenet-toolchain/1";

std::string float_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

float parse_float(const std::string& text, const std::string& key, const std::string& source) {
  try {
    std::size_t used = 0;
    const float v = std::stof(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw Error(source + ": metadata " + key + " is '" + text + "', not a number");
}

}  // namespace

SafetensorsFile to_safetensors(const Network& network, const ModelInfo& info) {
  SafetensorsFile file;
  file.metadata = info.extra;
  namespace k = metadata_key;
  file.metadata[k::format] = format_name;
  file.metadata[k::arch] = network.spec();
  file.metadata[k::input_shape] = shape_string(network.input_shape());
  file.metadata[k::norm_mean] = float_text(info.normalization.mean);
  file.metadata[k::norm_std] = float_text(info.normalization.std);
  file.metadata[k::parameters] = std::to_string(network.parameter_count());
  if (!info.recipe.empty()) file.metadata[k::recipe] = info.recipe;
  if (!info.dataset.empty()) file.metadata[k::dataset] = info.dataset;
  if (!info.test_accuracy.empty()) file.metadata[k::test_accuracy] = info.test_accuracy;
  if (!info.trainer_version.empty()) file.metadata[k::trainer_version] = info.trainer_version;
  for (const Parameter* p : network.parameters())
    file.tensors.push_back({p->name, Shape(p->value.shape().begin(), p->value.shape().end()),
                            std::vector<float>(p->value.begin(), p->value.end())});
  return file;
}

Model model_from_safetensors(const SafetensorsFile& file, const std::string& source) {
  namespace k = metadata_key;
  const auto arch_entry = file.metadata.find(k::arch);
  if (arch_entry == file.metadata.end())
    throw Error(source + ": no 'arch' in the metadata, so the architecture is unknown (not written by lenet-train?)");
  const auto with_source = [&](auto build) {
    try {
      return build();
    } catch (const Error& e) {
      throw Error(source + ": " + e.what());
    }
  };
  const ArchSpec arch = with_source([&] { return parse_arch(arch_entry->second); });
  // Every tensor is checked against the architecture before the network allocates anything: a
  // spec saying dense(3000000) in a 140 KB file is refused at once, not after 9 GB.
  const std::vector<ParameterShape> wanted = with_source([&] { return Network::parameter_shapes(arch); });
  const std::string spec = arch.to_string();
  // A checkpoint holds each parameter up to four times (the weights, two Adam moments, the best
  // weights) and a few scalars of the optimiser's.
  const std::size_t most_tensors = 4 * wanted.size() + 8;
  if (file.tensors.size() > most_tensors)
    throw Error(source + ": holds " + std::to_string(file.tensors.size()) + " tensors, more than architecture " + spec +
                " can use (" + std::to_string(most_tensors) + ")");
  std::set<std::string> expected;
  std::vector<const NamedTensor*> stored;  // each parameter's tensor, in the network's order
  for (const ParameterShape& p : wanted) {
    expected.insert(p.name);
    const NamedTensor* t = stored.emplace_back(file.find(p.name));
    if (!t) throw Error(source + ": tensor '" + p.name + "' is missing for architecture " + spec);
    if (t->shape != p.shape)
      throw Error(source + ": tensor '" + p.name + "' has shape " + shape_string(t->shape) + " but the architecture needs " +
                  shape_string(p.shape));
    for (float v : t->data)
      if (!std::isfinite(v)) throw Error(source + ": tensor '" + p.name + "' holds NaN or infinite values");
  }
  for (const NamedTensor& t : file.tensors)
    if (!expected.count(t.name) && t.name.rfind("optimizer.", 0) != 0 && t.name.rfind("best.", 0) != 0)
      throw Error(source + ": tensor '" + t.name + "' does not belong to architecture " + spec);

  Network network(arch);
  const std::vector<Parameter*> parameters = network.parameters();  // the order parameter_shapes gave
  for (std::size_t i = 0; i < parameters.size(); ++i)
    std::copy(stored[i]->data.begin(), stored[i]->data.end(), parameters[i]->value.begin());
  const Dtype weights_dtype = stored.empty() ? Dtype::f32 : stored.back()->dtype;

  Model model{std::move(network), {}};
  ModelInfo& info = model.info;
  info.weights_dtype = weights_dtype;
  for (const auto& [key, value] : file.metadata) {
    if (key == k::norm_mean) info.normalization.mean = parse_float(value, key, source);
    else if (key == k::norm_std) info.normalization.std = parse_float(value, key, source);
    else if (key == k::recipe) info.recipe = value;
    else if (key == k::dataset) info.dataset = value;
    else if (key == k::test_accuracy) info.test_accuracy = value;
    else if (key == k::trainer_version) info.trainer_version = value;
    // These describe the file, not the model: a model saved again gets its own.
    else if (key != k::format && key != k::arch && key != k::input_shape && key != k::parameters && key != k::dtype)
      info.extra[key] = value;
  }
  if (!(info.normalization.std > 0)) throw Error(source + ": metadata normalization_std must be positive");
  return model;
}

void save_model(const std::string& path, const Network& network, const ModelInfo& info) {
  save_safetensors(path, to_safetensors(network, info));
}

Model load_model(const std::string& path) { return model_from_safetensors(load_safetensors(path), path); }

Model load_model_from_bytes(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  return model_from_safetensors(parse_safetensors(bytes, size, source), source);
}

}  // namespace lenet
