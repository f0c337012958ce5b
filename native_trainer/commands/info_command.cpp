// lenet-train info: what a model file holds, as Keras' model.summary() shows a model: each layer
// with its output shape and parameter count, the totals, then the metadata as readable lines and
// the training history as a short table. --json gives the same for scripts.
// lenet-train info --devices: what this machine can train and infer with: the CPU's SIMD level
// and threads, the CUDA module, its runtime and each GPU, or why there is none.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"
#include "core/kernels/gemm.hpp"
#include "native_trainer/cuda/module_loader.hpp"
#include "native_trainer/report/text_format.hpp"
#include "native_trainer/run/train_config.hpp"

namespace lenet {

namespace {

struct InfoOptions {
  std::string path;
  bool json = false;
  bool devices = false;
};

// A layer's name: its parameters' prefix (conv1, fc1), else its kind (relu, maxpool).
std::string layer_name(const Network& network, std::size_t i) {
  const std::vector<const Parameter*> params = network.layer_parameters(i);
  if (!params.empty()) return params.front()->name.substr(0, params.front()->name.find('.'));
  const std::string spec = network.layer(i).spec();
  return spec.substr(0, spec.find('('));
}

std::size_t layer_parameter_count(const Network& network, std::size_t i) {
  std::size_t n = 0;
  for (const Parameter* p : network.layer_parameters(i)) n += p->value.size();
  return n;
}

std::size_t stored_bytes(const SafetensorsFile& file) {
  std::size_t n = 0;
  for (const NamedTensor& t : file.tensors) n += t.data.size() * dtype_bytes(t.dtype);
  return n;
}

// Metadata shown in a section of its own (the run's settings, the history) or in the header.
bool shown_elsewhere(const std::string& key) {
  return key == "train_config" || key == "history" || key == metadata_key::arch || key == metadata_key::input_shape ||
         key == metadata_key::norm_mean || key == metadata_key::norm_std || key == metadata_key::parameters;
}

// Up to ten epochs of a long run: the first, evenly spaced ones and the last.
std::vector<std::size_t> epochs_to_show(std::size_t count) {
  std::vector<std::size_t> rows;
  const std::size_t shown = std::min<std::size_t>(count, 10);
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t i = shown == 1 ? 0 : k * (count - 1) / (shown - 1);
    if (rows.empty() || rows.back() != i) rows.push_back(i);
  }
  return rows;
}

void print_summary(const std::string& path, const SafetensorsFile& file, const Model& model) {
  const Network& net = model.network;
  std::printf("%s\n\n", path.c_str());
  std::printf("%-10s %-20s %-14s %10s\n", "Layer", "Type", "Output shape", "Param #");
  std::printf("%s\n", std::string(57, '=').c_str());
  std::printf("%-10s %-20s %-14s %10s\n", "input", "input", shape_string(net.input_shape()).c_str(), "0");
  for (std::size_t i = 0; i < net.layer_count(); ++i)
    std::printf("%-10s %-20s %-14s %10s\n", layer_name(net, i).c_str(), net.layer(i).spec().c_str(),
                shape_string(net.layer(i).output_shape()).c_str(), with_thousands(layer_parameter_count(net, i)).c_str());
  std::printf("%s\n", std::string(57, '=').c_str());
  std::printf("Total parameters: %s, stored as %s (%s bytes)\n", with_thousands(net.parameter_count()).c_str(),
              dtype_name(model.info.weights_dtype), with_thousands(stored_bytes(file)).c_str());
  std::printf("Input: %s, x = (pixel/255 - %g) / %g\n", shape_string(net.input_shape()).c_str(),
              model.info.normalization.mean, model.info.normalization.std);
  std::printf("Architecture: %s\n", net.spec().c_str());

  std::printf("\nTensors\n");
  for (const Parameter* p : net.parameters())  // each is in the file: model_from_safetensors checked
    std::printf("  %-14s %-12s %s\n", p->name.c_str(), shape_string(Shape(p->value.shape().begin(), p->value.shape().end())).c_str(),
                dtype_name(file.find(p->name)->dtype));

  std::printf("\nMetadata\n");
  for (const auto& [key, value] : file.metadata)
    if (!shown_elsewhere(key)) std::printf("  %-18s %s\n", key.c_str(), value.c_str());
  if (const auto it = file.metadata.find("train_config"); it != file.metadata.end()) {
    std::printf("\nTrained with\n");
    try {
      for (const auto& [key, text] : settings_as_text(it->second)) std::printf("  %-18s %s\n", key.c_str(), text.c_str());
    } catch (const nlohmann::json::exception&) {
      std::printf("  (unreadable: %s)\n", it->second.c_str());
    }
  }
  if (const auto it = file.metadata.find("history"); it != file.metadata.end()) {
    const std::vector<EpochRecord> history = history_from_json(it->second, path);
    std::printf("\nTraining history (%s", count_of(history.size(), "epoch").c_str());
    std::printf("%s)\n", history.size() > 10 ? ", some shown" : "");
    std::printf("  %5s %8s %8s %9s %8s %8s\n", "epoch", "loss", "acc", "val_loss", "val_acc", "seconds");
    for (std::size_t i : epochs_to_show(history.size())) {
      const EpochRecord& r = history[i];
      std::printf("  %5zu %8.4f %8.4f %9.4f %8.4f %8.1f\n", r.epoch, r.loss, r.accuracy, r.val_loss, r.val_accuracy,
                  r.seconds);
    }
  }
}

nlohmann::json summary_json(const std::string& path, const SafetensorsFile& file, const Model& model) {
  const Network& net = model.network;
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < net.layer_count(); ++i)
    layers.push_back({{"name", layer_name(net, i)},
                      {"spec", net.layer(i).spec()},
                      {"output_shape", net.layer(i).output_shape()},
                      {"parameters", layer_parameter_count(net, i)}});
  nlohmann::json tensors = nlohmann::json::array();
  for (const Parameter* p : net.parameters())
    tensors.push_back({{"name", p->name}, {"shape", p->value.shape()}, {"dtype", dtype_name(file.find(p->name)->dtype)}});
  nlohmann::json metadata = nlohmann::json::object();
  for (const auto& [key, value] : file.metadata) {
    // The run's settings and history are JSON themselves: nested, not as strings.
    const bool nested = key == "train_config" || key == "history";
    metadata[key] = nested ? nlohmann::json::parse(value, nullptr, false) : nlohmann::json(value);
    if (metadata[key].is_discarded()) metadata[key] = value;
  }
  return {{"file", path},
          {"architecture", net.spec()},
          {"input_shape", net.input_shape()},
          {"normalization", {{"mean", model.info.normalization.mean}, {"std", model.info.normalization.std}}},
          {"parameters", net.parameter_count()},
          {"weights_dtype", dtype_name(model.info.weights_dtype)},
          {"stored_bytes", stored_bytes(file)},
          {"layers", layers},
          {"tensors", tensors},
          {"metadata", metadata}};
}

// --- info --devices ---------------------------------------------------------------------------

struct DeviceSummary {
  std::string simd = gemm_arch_name();  // the kernels the CPU runs (runtime dispatch)
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  cuda::LoadedModule module = cuda::installed_module();
  cuda::GpuReport gpu;  // filled when the module loaded
};

DeviceSummary summarise_devices() {
  DeviceSummary d;
  if (d.module.exports) d.gpu = d.module.exports->report();
  return d;
}

std::string gib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / double(1ull << 30));
  return text;
}

void print_devices(const DeviceSummary& d) {
  std::printf("CPU: %s kernels, %u threads\n", d.simd.c_str(), d.threads);
  if (!d.module.exports) {
    std::printf("CUDA module: none: %s\n", d.module.error.c_str());
    return;
  }
  std::printf("CUDA module: %s (interface %d)\n", d.module.path.c_str(), d.module.exports->interface_version);
  std::printf("CUDA runtime: %s, driver: %s\n", d.gpu.runtime.c_str(),
              d.gpu.driver.empty() ? "none" : ("CUDA " + d.gpu.driver).c_str());
  for (std::size_t i = 0; i < d.gpu.gpus.size(); ++i) {
    const cuda::GpuDevice& g = d.gpu.gpus[i];
    std::printf("GPU %zu: %s, compute capability %d.%d, %s\n", i, g.name.c_str(), g.major, g.minor,
                gib(g.memory_bytes).c_str());
  }
  if (!d.gpu.unavailable.empty())
    std::printf("%s: %s\n", d.gpu.gpus.empty() ? "GPUs: none" : "GPU training: not possible", d.gpu.unavailable.c_str());
}

nlohmann::json devices_json(const DeviceSummary& d) {
  nlohmann::json cpu = {{"simd", d.simd}, {"threads", d.threads}};
  nlohmann::json module = {{"path", d.module.path}, {"loaded", d.module.exports != nullptr}};
  if (!d.module.exports) return {{"cpu", cpu}, {"cuda_module", module}, {"cuda_unavailable", d.module.error}};
  module["interface"] = d.module.exports->interface_version;
  nlohmann::json gpus = nlohmann::json::array();
  for (const cuda::GpuDevice& g : d.gpu.gpus)
    gpus.push_back({{"name", g.name},
                    {"compute_capability", std::to_string(g.major) + "." + std::to_string(g.minor)},
                    {"memory_bytes", g.memory_bytes}});
  nlohmann::json out = {{"cpu", cpu}, {"cuda_module", module}, {"cuda_runtime", d.gpu.runtime},
                        {"cuda_driver", d.gpu.driver}, {"gpus", gpus}};
  if (!d.gpu.unavailable.empty()) out["cuda_unavailable"] = d.gpu.unavailable;
  return out;
}

void run_info(const InfoOptions& o) {
  if (o.devices) {
    if (!o.path.empty()) throw Error("info: give a model file or --devices, not both");
    const DeviceSummary d = summarise_devices();
    if (o.json)
      std::printf("%s\n", devices_json(d).dump(2).c_str());
    else
      print_devices(d);
    return;
  }
  if (o.path.empty()) throw Error("info: give a model file (.safetensors) to summarise, or --devices");
  const SafetensorsFile file = load_safetensors(o.path);
  const Model model = model_from_safetensors(file, o.path);
  if (o.json)
    std::printf("%s\n", summary_json(o.path, file, model).dump(2).c_str());
  else
    print_summary(o.path, file, model);
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto opts = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "info", "Summarise a model file: its layers with output shapes and parameter counts, its metadata and training "
              "history; or, with --devices, what this machine can run on");
  cmd->add_option("file", opts->path, "Model file (.safetensors)")->check(CLI::ExistingFile);
  cmd->add_flag("--devices", opts->devices,
                "List the CPU's SIMD level and threads, the CUDA module, its runtime and each GPU, or why there is none");
  cmd->add_flag("--json", opts->json, "Print the summary as JSON (metadata's train_config and history nested)");
  cmd->callback([opts] { run_info(*opts); });
}

}  // namespace lenet
