// lenet-train eval: a model's accuracy on a data set's test images.
#include <cstdio>
#include <memory>
#include <numeric>
#include <thread>

#include "native_trainer/commands/commands.hpp"
#include "native_trainer/commands/flag_checks.hpp"
#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/run/parallel_trainer.hpp"
#include "native_trainer/report/classification_report.hpp"

namespace lenet {

namespace {
struct EvalOptions {
  std::string model, data = default_data_dir();
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency()), test_images = 0;
};

void run_eval(const EvalOptions& o) {
  Model model = load_model(o.model);
  TrainTestData data = load_data_dir(o.data);
  Dataset& test = data.test;
  keep_first(test, o.test_images);
  check_input_shape(model.network, test, o.model, o.data);
  ParallelTrainer runner(model.network, o.threads);
  std::vector<std::size_t> idx(test.count);
  std::iota(idx.begin(), idx.end(), 0);
  std::vector<std::uint8_t> predictions;
  const LossResult r = runner.evaluate(test, idx.data(), idx.size(), model.info.normalization, &predictions);
  std::printf("%s on %s: test accuracy %.4f (%zu/%zu), test loss %.4f\n", o.model.c_str(), o.data.c_str(),
              double(r.correct) / test.count, r.correct, test.count, r.loss_sum / test.count);
  print_classification_report(confusion_matrix(test, predictions, model.network.num_classes()));
}
}  // namespace

void add_eval_command(CLI::App& app) {
  auto opts = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a model on the test images of a data set");
  cmd->add_option("--model", opts->model, "Model file (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", opts->data, data_option_help)->capture_default_str();
  cmd->add_option("--threads", opts->threads, "Worker threads")->capture_default_str()->check(whole_number(1, max_threads));
  cmd->add_option("--test-images", opts->test_images, "Use only the first N test images (0: all)")->capture_default_str()->check(whole_number(0));
  cmd->callback([opts] { run_eval(*opts); });
}

}  // namespace lenet
