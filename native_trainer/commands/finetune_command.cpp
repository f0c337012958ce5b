// lenet-train finetune: the page's "Learn my handwriting" natively, with the same core code and
// defaults (core/train/finetune.hpp): a person's labelled drawings (the page's "Download my examples")
// and the same MNIST replay sample give the same personal model as in the page for the same seed.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/train/finetune.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/commands/flag_checks.hpp"
#include "native_trainer/run/version.hpp"

namespace lenet {

namespace {

struct FinetuneOptions {
  std::string model, drawings, out, data = default_data_dir();
  FinetuneConfig config;  // the core's defaults, which the page uses too
};

std::vector<LabelledDrawing> read_examples(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  std::vector<LabelledDrawing> examples = labelled_drawings_from_json(std::string(bytes.begin(), bytes.end()), path);
  if (examples.empty()) throw Error(path + " holds no drawings (an empty list)");
  return examples;
}

void run_finetune(const FinetuneOptions& o) {
  const Model base = load_model(o.model);
  const std::vector<LabelledDrawing> examples = read_examples(o.drawings);
  FinetuneConfig config = o.config;
  Dataset replay = replay_sample(load_data_dir(o.data).train);
  const auto start = std::chrono::steady_clock::now();
  // The page names the model by its file name; so does this.
  Finetuner finetuner(base, std::filesystem::path(o.model).filename().string(), examples, std::move(replay), config,
                      o.drawings + ": drawing");
  double first_loss = 0, loss = 0;
  while (!finetuner.done()) {
    loss = finetuner.step();
    if (finetuner.steps_done() == 1) first_loss = loss;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ModelInfo info = finetuner.info();
  info.trainer_version = trainer_version();
  save_safetensors(o.out, to_safetensors(finetuner.network(), info));
  std::printf("%s: fine-tuned %s on %zu drawings (%s) in %zu steps, %.2f s; loss %.4f after the first step, %.4f after "
              "the last\n",
              o.out.c_str(), o.model.c_str(), examples.size(), info.extra["finetune_examples_per_digit"].c_str(),
              finetuner.steps_done(), seconds, first_loss, loss);
}

}  // namespace

void add_finetune_command(CLI::App& app) {
  auto opts = std::make_shared<FinetuneOptions>();
  CLI::App* cmd = app.add_subcommand(
      "finetune",
      "Teach a model your handwriting: fine-tune it on labelled drawings (the page's \"Download my examples\") mixed "
      "with a replay of MNIST training digits, exactly as the page's \"Learn my handwriting\" does");
  cmd->add_option("--model", opts->model, "Model to start from (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--drawings", opts->drawings,
                  "JSON list of labelled drawings: [{\"width\", \"height\", \"penWidth\", \"strokes\", \"label\"}, ...]")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", opts->out, "Where to write the personal model (.safetensors, F32)")->required();
  cmd->add_option("--seed", opts->config.seed, "Seed of the run: the page's seed gives the page's model")
      ->capture_default_str();
  cmd->add_option("--steps", opts->config.steps, "Optimisation steps (the default is the page's)")
      ->capture_default_str()
      ->check(whole_number(1, 100000));
  cmd->add_option("--data", opts->data, data_option_help)->capture_default_str();
  cmd->callback([opts] { run_finetune(*opts); });
}

}  // namespace lenet
