// lenet-train export: a model file written again with its weights stored as F32, F16 or BF16.
// Half precision halves a shipped model (the page's download); every reader widens the weights
// back to float32, so nothing else changes but the run's paths, which a shipped file drops. Accuracy is then measured with `eval --model OUT`.
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/formats/model_io.hpp"
#include "native_trainer/run/train_config.hpp"

namespace lenet {

namespace {

struct ExportOptions {
  std::string in, out, dtype = "f16";
};

// --dtype takes the header's names in either case: f32, f16, bf16.
Dtype dtype_from_flag(const std::string& flag) {
  std::string upper = flag;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (const std::optional<Dtype> dtype = dtype_from_name(upper)) return *dtype;
  throw Error("--dtype " + flag + " is not one of f32, f16, bf16");
}

// Stores the network's parameters as dtype. Anything else in the file (a checkpoint's optimizer
// state) keeps its dtype: it is no part of the shipped model, and resuming needs it exact.
void store_parameters_as(SafetensorsFile& file, const Network& network, Dtype dtype) {
  std::set<std::string> parameters;
  for (const Parameter* p : network.parameters()) parameters.insert(p->name);
  for (NamedTensor& t : file.tensors)
    if (parameters.count(t.name)) t.dtype = dtype;
  file.metadata[metadata_key::dtype] = dtype_name(dtype);  // how the parameters are stored
}

// A model is exported to be shipped: its run's settings keep the data set's and files' names but
// lose the paths of the machine that trained it (files written before models dropped them).
void drop_training_paths(SafetensorsFile& file, const std::string& source) {
  if (!file.metadata.count("train_config")) return;
  for (const auto& [key, value] : TrainConfig::from_metadata(file.metadata, source).without_paths().to_metadata())
    file.metadata[key] = value;
}

void run_export(const ExportOptions& o) {
  const Dtype dtype = dtype_from_flag(o.dtype);
  const std::vector<std::uint8_t> in_bytes = read_file_raw(o.in);
  SafetensorsFile file = parse_safetensors(in_bytes.data(), in_bytes.size(), o.in);
  const Model model = model_from_safetensors(file, o.in);  // only a whole, valid model is exported
  store_parameters_as(file, model.network, dtype);
  drop_training_paths(file, o.in);
  const std::vector<std::uint8_t> out_bytes = serialize_safetensors(file);
  write_file_atomic(o.out, out_bytes);
  std::printf("%s: %zu bytes\n%s: %zu bytes, weights as %s (%.1f%% of the size)\n", o.in.c_str(), in_bytes.size(),
              o.out.c_str(), out_bytes.size(), dtype_name(dtype), 100.0 * double(out_bytes.size()) / double(in_bytes.size()));
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto opts = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a model again with its weights stored as f32, f16 or bf16 (half the size; loaded as float32)");
  cmd->add_option("in", opts->in, "Model file to read (.safetensors)")->required();
  cmd->add_option("out", opts->out, "Where to write it (replaced only once it is complete)")->required();
  cmd->add_option("--dtype", opts->dtype,
                  "f32, f16 (IEEE half: up to 65504, 11 bits of precision) or bf16 (float32's range, 8 bits)")
      ->capture_default_str();
  cmd->callback([opts] { run_export(*opts); });
}

}  // namespace lenet
