// lenet-train train: a recipe or hand-picked flags -> a trained model file.
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numeric>
#include <thread>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/model_io.hpp"
#include "core/optimizer.hpp"
#include "data_files.hpp"
#include "parallel_trainer.hpp"
#include "progress.hpp"
#include "recipes.hpp"
#include "test_report.hpp"
#include "version.hpp"

namespace lenet {

namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted = true; }

struct TrainOptions {
  std::string recipe, arch = "lenet", optimizer = "sgd", device = "cpu";
  std::size_t epochs = 20, batch = 128, threads = std::max(1u, std::thread::hardware_concurrency());
  float lr = 0.01f, momentum = 0.0f;
  std::uint64_t seed = 42;
  double val_split = 0.1;
  std::size_t val_last = 0;
  bool split = false;
  std::string data = default_data_dir(), out = "model.safetensors";
  std::size_t checkpoint_every = 0, train_images = 0, test_images = 0;
};

struct Split {
  Dataset train, val, test;
  std::string val_name;
};

Split make_split(const TrainOptions& o, Validation validation, double amount) {
  TrainTestData data = load_data_dir(o.data);
  if (validation == Validation::resplit) data = resplit(data, amount, o.seed);
  if (o.train_images && o.train_images < data.train.count) {
    data.train.count = o.train_images;
    data.train.images.resize(o.train_images * data.train.rows * data.train.cols);
    data.train.labels.resize(o.train_images);
  }
  if (o.test_images && o.test_images < data.test.count) {
    data.test.count = o.test_images;
    data.test.images.resize(o.test_images * data.test.rows * data.test.cols);
    data.test.labels.resize(o.test_images);
  }
  Split s;
  s.test = data.test;
  if (validation == Validation::test_set || validation == Validation::resplit) {
    s.train = std::move(data.train);
    s.val = s.test;
    s.val_name = "test set";
    return s;
  }
  // Keras' validation_split: the last images of the training set, before any shuffling.
  const std::size_t n = data.train.count;
  const std::size_t held = validation == Validation::last_n ? static_cast<std::size_t>(amount)
                                                            : static_cast<std::size_t>(amount * static_cast<double>(n));
  if (held == 0 || held >= n)
    throw Error("validation would take " + std::to_string(held) + " of " + std::to_string(n) +
                " training images; it must leave some for training and hold at least one");
  const std::size_t px = data.train.rows * data.train.cols, keep = n - held;
  s.train = data.train;
  s.train.count = keep;
  s.train.images.resize(keep * px);
  s.train.labels.resize(keep);
  s.val.rows = data.train.rows;
  s.val.cols = data.train.cols;
  s.val.count = held;
  s.val.images.assign(data.train.images.begin() + keep * px, data.train.images.end());
  s.val.labels.assign(data.train.labels.begin() + keep, data.train.labels.end());
  s.val_name = "last " + std::to_string(held) + " training images";
  return s;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainOptions& o, Network& net) {
  if (o.optimizer == "sgd") return std::make_unique<Sgd>(net.parameters(), SgdConfig{.learning_rate = o.lr, .momentum = o.momentum});
  return std::make_unique<Adam>(net.parameters(), AdamConfig{.learning_rate = o.lr});
}

std::string checkpoint_path(const std::string& out) {
  std::filesystem::path p(out);
  return (p.parent_path() / (p.stem().string() + ".checkpoint.safetensors")).string();
}

void run_train(const TrainOptions& flags, const CLI::App& cmd) {
  TrainOptions o = flags;
  Validation validation = Validation::fraction;
  double amount = o.val_split;
  if (!o.recipe.empty()) {  // the recipe sets everything the flags did not
    const Recipe& r = find_recipe(o.recipe);
    auto unset = [&](const char* flag) { return cmd.count(flag) == 0; };
    if (unset("--arch")) o.arch = r.arch;
    if (unset("--optimizer")) o.optimizer = r.optimizer;
    if (unset("--lr")) o.lr = r.learning_rate;
    if (unset("--momentum")) o.momentum = r.momentum;
    if (unset("--batch-size")) o.batch = r.batch_size;
    if (unset("--epochs")) o.epochs = r.epochs;
    validation = r.validation;
    amount = r.validation_amount;
  } else if (cmd.count("--lr") == 0 && o.optimizer == "adam") {
    o.lr = 0.001f;  // Keras' default for Adam
  }
  if (cmd.count("--val-split")) validation = Validation::fraction, amount = o.val_split;
  if (cmd.count("--val-last")) validation = Validation::last_n, amount = static_cast<double>(o.val_last);
  if (o.split) validation = Validation::resplit, amount = 2.0 / 3.0;
  if (o.device == "cuda") throw Error("--device cuda: this lenet-train was built without CUDA (build the cuda preset)");
  if (o.threads == 0) throw Error("--threads must be at least 1");
  if (!(o.lr > 0) || !std::isfinite(o.lr)) throw Error("--lr must be a positive number");

  Network net(o.arch);  // validates the architecture before any data is read
  const Split data = make_split(o, validation, amount);
  if (net.input_shape() != Shape{1, data.train.rows, data.train.cols})
    throw Error("--arch expects " + shape_string(net.input_shape()) + " inputs but the data has 1x" +
                std::to_string(data.train.rows) + "x" + std::to_string(data.train.cols) + " images");
  Rng rng(o.seed);
  net.initialize(rng);
  auto optimizer = make_optimizer(o, net);
  ParallelTrainer trainer(net, o.threads);
  const Normalization norm{};

  std::printf("lenet-train: %s (%zu parameters), %s lr %g%s, batch %zu, %zu epochs, %zu threads\n", o.arch.c_str(),
              net.parameter_count(), o.optimizer.c_str(), o.lr,
              o.momentum > 0 ? (" momentum " + std::to_string(o.momentum)).c_str() : "", o.batch, o.epochs,
              trainer.threads());
  std::printf("data: %s: %zu training images, validation on the %s (%zu), %zu test images\n", o.data.c_str(),
              data.train.count, data.val_name.c_str(), data.val.count, data.test.count);
  std::fflush(stdout);

  std::signal(SIGINT, on_sigint);
  const bool terminal = stdout_is_terminal();
  std::vector<std::size_t> order(data.train.count), val_idx(data.val.count), test_idx(data.test.count);
  std::iota(order.begin(), order.end(), 0);
  std::iota(val_idx.begin(), val_idx.end(), 0);
  std::iota(test_idx.begin(), test_idx.end(), 0);
  const std::size_t batches = (data.train.count + o.batch - 1) / o.batch;
  ModelInfo info;
  info.recipe = o.recipe;
  info.dataset = std::filesystem::path(o.data).filename().string();
  info.trainer_version = trainer_version();
  info.normalization = norm;

  for (std::size_t epoch = 1; epoch <= o.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    EpochProgress progress(epoch, o.epochs, batches, terminal);
    double loss_sum = 0;
    std::size_t correct = 0, seen = 0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t first = b * o.batch, n = std::min(o.batch, data.train.count - first);
      const LossResult r = trainer.compute_gradients(data.train, order.data() + first, n, norm);
      if (!std::isfinite(r.loss_sum)) {
        progress.finish();
        throw Error("the loss became NaN at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1) +
                    " (try a smaller --lr); nothing was written" +
                    (o.checkpoint_every ? ", the last good checkpoint stays in " + checkpoint_path(o.out) : ""));
      }
      optimizer->step();
      trainer.parameters_changed();
      loss_sum += r.loss_sum;
      correct += r.correct;
      seen += n;
      progress.update(b, seen, loss_sum, correct);
      if (interrupted) break;
    }
    progress.finish();
    const double seconds = progress.seconds();
    const LossResult v = trainer.evaluate(data.val, val_idx.data(), val_idx.size(), norm);
    std::printf("Epoch %zu/%zu - loss %.4f - acc %.4f - val_loss %.4f - val_acc %.4f - %.1fs - %.0f img/s\n", epoch,
                o.epochs, loss_sum / seen, double(correct) / seen, v.loss_sum / data.val.count,
                double(v.correct) / data.val.count, seconds, seen / seconds);
    std::fflush(stdout);
    if (interrupted || (o.checkpoint_every && epoch % o.checkpoint_every == 0)) {
      ModelInfo ck = info;
      ck.extra["epoch"] = std::to_string(epoch);
      save_model(checkpoint_path(o.out), net, ck);
    }
    if (interrupted) {
      std::printf("interrupted: stopped after a batch of epoch %zu; checkpoint written to %s\n", epoch,
                  checkpoint_path(o.out).c_str());
      std::exit(130);
    }
  }
  std::vector<std::uint8_t> predictions;
  const LossResult t = trainer.evaluate(data.test, test_idx.data(), test_idx.size(), norm, &predictions);
  const double accuracy = double(t.correct) / data.test.count;
  std::printf("test accuracy: %.4f (%zu/%zu), test loss %.4f\n", accuracy, t.correct, data.test.count,
              t.loss_sum / data.test.count);
  print_test_report(confusion_matrix(data.test, predictions, net.num_classes()));
  char acc_text[32];
  std::snprintf(acc_text, sizeof acc_text, "%.4f", accuracy);
  info.test_accuracy = acc_text;
  info.extra["epochs"] = std::to_string(o.epochs);
  info.extra["batch_size"] = std::to_string(o.batch);
  info.extra["optimizer"] = o.optimizer;
  info.extra["learning_rate"] = std::to_string(o.lr);
  info.extra["seed"] = std::to_string(o.seed);
  info.extra["test_images"] = std::to_string(data.test.count);
  save_model(o.out, net, info);
  std::printf("model written to %s\n", o.out.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto opts = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a network and write its weights (safetensors)");
  std::string recipe_help = "Reproduce a seed tutorial's experiment (sets arch, optimiser, lr, batch, epochs, validation):";
  for (const Recipe& r : recipes()) recipe_help += "\n  " + r.name + ": " + r.source + ", reported " + r.seed_reported;
  cmd->add_option("--recipe", opts->recipe, recipe_help);
  cmd->add_option("--arch", opts->arch, "Architecture preset (lenet, lenet5-rowe98, lenet5) or spec string")->capture_default_str();
  cmd->add_option("--epochs", opts->epochs, "Passes over the training set")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--batch-size", opts->batch, "Images per optimisation step")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--optimizer", opts->optimizer, "sgd or adam (Keras' update rules)")->capture_default_str()->check(CLI::IsMember({"sgd", "adam"}));
  cmd->add_option("--lr", opts->lr, "Learning rate (default 0.01 for sgd, 0.001 for adam)")->capture_default_str();
  cmd->add_option("--momentum", opts->momentum, "SGD momentum")->capture_default_str()->check(CLI::Range(0.0, 0.9999));
  cmd->add_option("--seed", opts->seed, "Seed of the run's one random generator (init, shuffling)")->capture_default_str();
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores)")->capture_default_str();
  auto* val_split = cmd->add_option("--val-split", opts->val_split, "Hold out this last fraction of the training set for validation")
                        ->capture_default_str()->check(CLI::Range(0.0, 0.99));
  auto* val_last = cmd->add_option("--val-last", opts->val_last, "Hold out the last N training images for validation");
  auto* split = cmd->add_flag("--split", opts->split, "Re-split all 70,000 images: 2/3 train, 1/3 test (validation on the test part)");
  val_split->excludes(val_last)->excludes(split);
  val_last->excludes(split);
  cmd->add_option("--data", opts->data, "Folder with the four IDX files, raw or .gz (MNIST, Fashion-MNIST)")->capture_default_str();
  cmd->add_option("--out", opts->out, "Where to write the trained model")->capture_default_str();
  cmd->add_option("--checkpoint-every", opts->checkpoint_every, "Write OUT's .checkpoint.safetensors every N epochs (0: never)")->capture_default_str();
  cmd->add_option("--device", opts->device, "cpu or cuda")->capture_default_str()->check(CLI::IsMember({"cpu", "cuda"}));
  cmd->add_option("--train-images", opts->train_images, "Use only the first N training images (0: all)")->capture_default_str();
  cmd->add_option("--test-images", opts->test_images, "Use only the first N test images (0: all)")->capture_default_str();
  cmd->callback([opts, cmd] { run_train(*opts, *cmd); });
}

}  // namespace lenet
