// lenet-train info: what a model file holds.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "core/model_io.hpp"

namespace lenet {

namespace {
void run_info(const std::string& path) {
  const SafetensorsFile file = load_safetensors(path);
  const Model model = model_from_safetensors(file, path);
  std::printf("%s\n", path.c_str());
  std::printf("  architecture: %s\n", model.network.spec().c_str());
  std::printf("  parameters:   %zu\n", model.network.parameter_count());
  std::printf("  input:        %s, x = (pixel/255 - %g) / %g\n", shape_string(model.network.input_shape()).c_str(),
              model.info.normalization.mean, model.info.normalization.std);
  std::printf("  tensors:\n");
  for (const Parameter* p : model.network.parameters())  // each is in the file: model_from_safetensors checked
    std::printf("    %-14s %-12s %s\n", p->name.c_str(),
                shape_string(Shape(p->value.shape().begin(), p->value.shape().end())).c_str(),
                dtype_name(file.find(p->name)->dtype));
  std::printf("  metadata:\n");
  for (const auto& [key, value] : file.metadata) std::printf("    %-20s %s\n", key.c_str(), value.c_str());
}
}  // namespace

void add_info_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("info", "Show a model file's architecture, parameters and metadata");
  cmd->add_option("file", *path, "Model file (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->callback([path] { run_info(*path); });
}

}  // namespace lenet
