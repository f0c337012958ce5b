#include "native_trainer/run/training_run.hpp"

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <sstream>
#include <utility>

#include "core/base/error.hpp"
#include "core/nn/init.hpp"
#include "core/formats/model_io.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/run/drawn_training.hpp"
#include "native_trainer/run/progress.hpp"
#include "native_trainer/report/html_page.hpp"
#include "native_trainer/run/run_report.hpp"
#include "native_trainer/report/classification_report.hpp"
#include "native_trainer/run/trainer_backend.hpp"
#include "native_trainer/run/invocation.hpp"
#include "native_trainer/report/text_format.hpp"
#include "native_trainer/run/version.hpp"

namespace lenet {

std::atomic<bool> stop_requested{false};

namespace {

TrainingData load_training_data(const TrainConfig& c) {
  TrainTestData data = load_data_dir(c.data);
  if (c.validation == Validation::resplit) data = resplit(data, c.validation_amount, c.seed);
  keep_first(data.train, c.train_images);
  keep_first(data.test, c.test_images);
  TrainingData s;
  s.test = data.test;
  if (c.validation == Validation::test_set || c.validation == Validation::resplit) {
    s.train = std::move(data.train);
    s.val = s.test;
    s.val_name = "test set (" + count_of(s.val.count, "image") + ")";
    return s;
  }
  // Keras' validation_split: the last images of the training set, before any shuffling.
  const std::size_t n = data.train.count;
  const std::size_t held = c.validation == Validation::last_n
                               ? static_cast<std::size_t>(c.validation_amount)
                               : static_cast<std::size_t>(c.validation_amount * static_cast<double>(n));
  if (held == 0 || held >= n)
    throw Error("validation would take " + std::to_string(held) + " of " + std::to_string(n) +
                " training images; it must hold at least one and leave some for training");
  const std::size_t px = data.train.rows * data.train.cols, keep = n - held;
  s.val.rows = data.train.rows;
  s.val.cols = data.train.cols;
  s.val.count = held;
  s.val.images.assign(data.train.images.begin() + keep * px, data.train.images.end());
  s.val.labels.assign(data.train.labels.begin() + keep, data.train.labels.end());
  s.train = std::move(data.train);
  keep_first(s.train, keep);
  s.val_name = held == 1 ? "last training image" : "last " + with_thousands(held) + " training images";
  return s;
}

std::unique_ptr<Optimizer> make_optimizer(const TrainConfig& c, Network& net) {
  switch (c.optimizer) {
    case OptimizerKind::sgd:
      return std::make_unique<Sgd>(net.parameters(), SgdConfig{.learning_rate = c.learning_rate, .momentum = c.momentum,
                                                               .weight_decay = c.weight_decay});
    case OptimizerKind::adam:
      return std::make_unique<Adam>(net.parameters(),
                                    AdamConfig{.learning_rate = c.learning_rate, .decoupled_weight_decay = c.weight_decay});
  }
  throw Error("unknown optimizer");  // every enumerator returns above
}

// --out (and the checkpoint beside it) must be writable before the first batch, not found
// unwritable after the last: a file name in an existing folder we may create files in.
void check_writable_file(const std::string& path, const char* flag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) throw Error(std::string(flag) + " is empty; give the file to write");
  if (fs::is_directory(path, ec)) throw Error(std::string(flag) + " " + path + " is a folder; give a file name in it");
  const fs::path folder = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (!fs::is_directory(folder, ec))
    throw Error(std::string(flag) + " " + path + ": the folder " + folder.string() + " does not exist");
  const std::string probe = path + ".tmp-write-check";
  std::FILE* f = std::fopen(probe.c_str(), "wb");
  if (!f) throw Error(std::string(flag) + " " + path + ": cannot write there (" + std::strerror(errno) + ")");
  std::fclose(f);
  std::remove(probe.c_str());
}

}  // namespace

TrainingRun::TrainingRun(TrainConfig config)
    : config_(std::move(config)), network_(config_.arch), rng_(config_.seed) {
  if (config_.threads == 0) throw Error("--threads must be at least 1");
  if (!(config_.learning_rate > 0) || !std::isfinite(config_.learning_rate)) throw Error("--lr must be a positive number");
  if (!(config_.norm_std > 0) || !std::isfinite(config_.norm_std) || !std::isfinite(config_.norm_mean))
    throw Error("--normalize needs a finite mean and a positive standard deviation");
  if (!(config_.drawn >= 0 && config_.drawn <= 1)) throw Error("--drawn must be a share between 0 and 1");
  if (config_.drawn > 0 && !config_.augment)
    throw Error("--drawn redraws images as part of the augmentation: give --augment too (or --drawn 0)");
  config_.arch = network_.spec();
  data_ = load_training_data(config_);
  if (config_.drawn > 0 && (data_.train.rows != digit_side || data_.train.cols != digit_side))
    throw Error("--drawn needs 28x28 digits like MNIST's, but " + config_.data + " has " +
                std::to_string(data_.train.rows) + "x" + std::to_string(data_.train.cols) + " images");
  check_input_shape(network_, data_.train, "the architecture", config_.data);
  network_.initialize(rng_, config_.init);
  optimizer_ = make_optimizer(config_, network_);
  state_.rng_epoch_start = rng_.state();
}

TrainingRun TrainingRun::resume(const std::string& path, const TrainConfig& overrides,
                                const std::vector<std::string>& overridden) {
  const SafetensorsFile file = load_safetensors(path);
  if (!file.metadata.count("epochs_done"))
    throw Error(path + ": not a checkpoint (a finished model has no optimiser state); --resume takes the "
                       ".checkpoint.safetensors that --checkpoint-every or Ctrl-C wrote");
  TrainConfig config = TrainConfig::from_metadata(file.metadata, path);
  for (const std::string& flag : overridden) {
    if (flag == "--epochs") config.epochs = overrides.epochs;
    else if (flag == "--out") config.out = overrides.out;
    else if (flag == "--threads") config.threads = overrides.threads;
    else if (flag == "--checkpoint-every") config.checkpoint_every = overrides.checkpoint_every;
    else if (flag == "--data") config.data = overrides.data;
    else if (flag == "--report") config.report_dir = overrides.report_dir;
    else if (flag == "--keep-checkpoint") config.keep_checkpoint = overrides.keep_checkpoint;
    else
      throw Error("--resume continues the saved run as it was; " + flag +
                  " cannot change (only --epochs, --out, --threads, --checkpoint-every, --report, --keep-checkpoint "
                  "and --data can)");
  }
  TrainingRun run(config);
  Model saved = model_from_safetensors(file, path);
  if (saved.network.spec() != run.network_.spec())
    throw Error(path + ": the checkpoint's network differs from its own training configuration");
  run.network_.copy_parameters_from(saved.network);
  for (auto& [name, tensor] : run.optimizer_->state()) {
    const NamedTensor* t = file.find("optimizer." + name);
    if (!t || t->data.size() != tensor->size())
      throw Error(path + ": the optimiser state '" + name + "' is missing or has the wrong size");
    std::copy(t->data.begin(), t->data.end(), tensor->begin());
  }
  run.state_ = CheckpointState::read(file.metadata, path);
  run.optimizer_->set_steps(run.state_.optimizer_steps);
  run.rng_.set_state(run.state_.rng);
  for (const Parameter* p : run.network_.parameters())
    if (const NamedTensor* best = file.find("best." + p->name)) {
      if (best->data.size() != p->value.size())
        throw Error(path + ": the best epoch's weights '" + p->name + "' have the wrong size");
      run.best_weights_.push_back(best->data);
    }
  std::printf("resuming %s: %s and %s done\n", path.c_str(), count_of(run.state_.epochs_done, "epoch").c_str(),
              count_of(run.state_.batches_done, "batch", "batches").c_str());
  return run;
}

void TrainingRun::save_checkpoint() const {
  ModelInfo info;
  info.recipe = config_.recipe;
  info.trainer_version = trainer_version();
  info.extra = config_.to_metadata();
  CheckpointState state = state_;
  state.optimizer_steps = optimizer_->steps();
  state.rng = rng_.state();
  state.write(info.extra);
  SafetensorsFile file = to_safetensors(network_, info);
  for (auto& [name, tensor] : optimizer_->state())
    file.tensors.push_back({"optimizer." + name, Shape(tensor->shape().begin(), tensor->shape().end()),
                            std::vector<float>(tensor->begin(), tensor->end())});
  const std::vector<const Parameter*> params = std::as_const(network_).parameters();
  for (std::size_t i = 0; i < best_weights_.size(); ++i)  // early stopping's best epoch so far
    file.tensors.push_back({"best." + params[i]->name, Shape(params[i]->value.shape().begin(), params[i]->value.shape().end()),
                            best_weights_[i]});
  save_safetensors(config_.checkpoint_path(), file);
}

void TrainingRun::prepare_drawn_training() {
  const auto start = std::chrono::steady_clock::now();
  drawn_ = std::make_unique<DrawnTraining>();
  drawn_->traced = trace_dataset(data_.train, config_.threads);
  drawn_->share = config_.drawn;
  std::printf("  %.0f %% of the training images redrawn from their strokes (traced in %.1f s), in writing styles:",
              100.0 * config_.drawn, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (Style s : all_styles()) std::printf(" %s", style_name(s));
  std::printf("\n");
  std::fflush(stdout);
}

void TrainingRun::warn_if_at_chance(const EpochRecord& first_epoch) const {
  // Twice chance is far below what a network that learns shows after an epoch, and far above what
  // one that has learnt nothing shows (the one class it settled on: ~11 % on MNIST). A slow starter
  // whose validation accuracy, at the epoch's end, has left chance behind is learning: no warning.
  const double chance = 1.0 / double(network_.num_classes());
  const bool validated = data_.val.count > 0;
  if (first_epoch.accuracy >= 2 * chance || (validated && first_epoch.val_accuracy >= 2 * chance)) return;
  std::fprintf(stderr,
               "lenet-train: warning: after its first epoch the network is right on %.1f %% of the training images, "
               "no better than guessing (%.0f %%): it is not learning; try --optimizer adam, a larger --lr, "
               "another --init, or the preset's own settings (leave out the flags that replace them)\n",
               100 * first_epoch.accuracy, 100 * chance);
}

bool TrainingRun::watch_validation(const EpochRecord& epoch, TrainerBackend& trainer) {
  const TrainConfig& c = config_;
  if (c.lr_schedule == LrSchedule::plateau && !state_.plateau.observe(epoch.val_loss) && state_.plateau.waited >= c.lr_patience) {
    state_.plateau_factor *= 0.1f;
    state_.plateau.waited = 0;
    std::printf("  val_loss has not improved for %s: the learning rate is divided by 10, to %g\n",
                count_of(c.lr_patience, "epoch").c_str(), double(c.learning_rate * state_.plateau_factor));
  }
  if (c.early_stopping == 0) return false;
  std::vector<Parameter*> params = network_.parameters();
  if (state_.early.observe(epoch.val_loss)) {
    trainer.sync_to_host();
    best_weights_.clear();
    for (const Parameter* p : params) best_weights_.emplace_back(p->value.begin(), p->value.end());
    return false;
  }
  if (state_.early.waited < c.early_stopping) return false;
  std::printf("early stopping: val_loss has not improved for %s; the weights of epoch %zu (val_loss %.4f) are kept\n",
              count_of(state_.early.waited, "epoch").c_str(), state_.early.best_at, state_.early.best);
  for (std::size_t i = 0; i < params.size(); ++i)
    std::copy(best_weights_[i].begin(), best_weights_[i].end(), params[i]->value.begin());
  trainer.sync_from_host();
  return true;
}

void TrainingRun::check_before_training(Device device) const {
  const TrainConfig& c = config_;
  if (c.augment && device == Device::cuda)
    throw Error("--augment is not available with --device cuda yet (the GPU path trains on the images as they are); "
                "train with --device cpu or --no-augment");
  if (c.weight_decay > 0 && c.optimizer == OptimizerKind::adam && device == Device::cuda)
    throw Error("--weight-decay with adam (AdamW) is not available with --device cuda yet; train with --device cpu, "
                "or use sgd, whose L2 decay the GPU path has");
  check_writable_file(c.out, "--out");
  if (!c.report_dir.empty()) make_report_folder(c.report_dir);  // fails now, not after the last epoch
}

void TrainingRun::print_header(const TrainerBackend& trainer) const {
  const TrainConfig& c = config_;
  std::printf("lenet-train: %s, %s (%s)\n", c.recipe.empty() ? "custom run" : ("recipe " + c.recipe).c_str(),
              c.arch.c_str(), count_of(network_.parameter_count(), "parameter").c_str());
  std::printf("  %s lr %g", optimizer_name(c.optimizer), c.learning_rate);
  if (c.momentum > 0) std::printf(" momentum %g", c.momentum);
  if (c.lr_schedule != LrSchedule::constant) std::printf(" (%s schedule)", lr_schedule_name(c.lr_schedule));
  if (c.init != Init::glorot_uniform) std::printf(", %s weights", init_name(c.init));
  std::printf(", batch %zu, %s, seed %llu, %s%s\n", c.batch_size, count_of(c.epochs, "epoch").c_str(),
              static_cast<unsigned long long>(c.seed), trainer.description().c_str(),
              c.augment ? ", augmented images" : "");
  std::printf("  data %s: %s, validation on the %s, %s\n", c.data.c_str(), count_of(data_.train.count, "training image").c_str(),
              data_.val_name.c_str(), count_of(data_.test.count, "test image").c_str());
  std::fflush(stdout);
}

void TrainingRun::run(Device device) {
  check_before_training(device);
  const std::unique_ptr<TrainerBackend> trainer =
      make_trainer_backend(device, network_, *optimizer_, config_.threads, config_.batch_size);
  const std::string started = utc_now();
  print_header(*trainer);
  if (config_.drawn > 0) prepare_drawn_training();
  for (std::size_t epoch = state_.epochs_done + 1; epoch <= config_.epochs; ++epoch)
    if (end_epoch(train_epoch(epoch, *trainer), *trainer)) break;
  finish(*trainer, started);
}

EpochRecord TrainingRun::train_epoch(std::size_t epoch, TrainerBackend& trainer) {
  const TrainConfig& c = config_;
  const Normalization norm{c.norm_mean, c.norm_std};
  const AugmentConfig augment_config;
  // Each epoch shuffles the identity from the stream's state at its start, so a resumed run can
  // rebuild an interrupted epoch's order from that state alone.
  Rng epoch_rng(0);
  epoch_rng.set_state(state_.batches_done == 0 ? rng_.state() : state_.rng_epoch_start);
  state_.rng_epoch_start = epoch_rng.state();
  std::vector<std::size_t> order(data_.train.count);
  std::iota(order.begin(), order.end(), 0);
  shuffle(std::span(order), epoch_rng);
  if (state_.batches_done == 0) rng_ = epoch_rng;
  trainer.begin_epoch(data_.train, order, norm);

  const std::size_t batches = (data_.train.count + c.batch_size - 1) / c.batch_size;
  EpochTotals& partial = state_.partial;
  EpochProgress progress(epoch, c.epochs, batches, stdout_is_terminal());
  for (std::size_t b = state_.batches_done; b < batches; ++b) {
    const std::size_t first = b * c.batch_size, n = std::min(c.batch_size, data_.train.count - first);
    optimizer_->set_learning_rate(scheduled_learning_rate(c.lr_schedule, c.learning_rate,
                                                          {.step = (epoch - 1) * batches + b,
                                                           .total_steps = c.epochs * batches,
                                                           .epochs_done = epoch - 1,
                                                           .every = c.lr_step ? c.lr_step : std::max<std::size_t>(1, c.epochs / 3),
                                                           .plateau_factor = state_.plateau_factor}));
    const BatchAugmentation augment{&augment_config, augment_batch_seed(c.seed, epoch, b), drawn_.get()};
    trainer.train_batch(first, n, c.augment ? &augment : nullptr);
    // A GPU queues several batches before their totals come back; the CPU reports every batch.
    if (b + 1 < batches && !stop_requested && (b + 1 - state_.batches_done) % trainer.batches_per_report() != 0) continue;
    const BatchTotals r = trainer.take_totals();
    if (r.first_bad >= 0) {
      progress.finish();
      const std::size_t bad = b + 1 - r.batches + static_cast<std::size_t>(r.first_bad);
      const bool have_checkpoint = std::filesystem::exists(c.checkpoint_path());
      throw Error("the loss became NaN at epoch " + std::to_string(epoch) + ", batch " + std::to_string(bad + 1) +
                  " (try a smaller --lr); nothing was written" +
                  (have_checkpoint ? "; the last good checkpoint is " + c.checkpoint_path() : ""));
    }
    partial.loss_sum += r.loss_sum;
    partial.correct += r.correct;
    partial.images += r.images;
    progress.update(b - state_.batches_done, partial.images, partial.loss_sum, partial.correct);
    batch_history_.push_back({double(epoch - 1) + double(b + 1) / double(batches),
                              partial.loss_sum / double(partial.images), double(partial.correct) / double(partial.images)});
    if (stop_requested && b + 1 < batches) {  // the bar stays; leaving the loop moves below it
      state_.batches_done = b + 1;
      partial.seconds += progress.seconds();
      trainer.sync_to_host();
      save_checkpoint();
      throw Interrupted{c.checkpoint_path()};
    }
  }
  progress.finish();
  const double seconds = partial.seconds + progress.seconds();
  std::vector<std::size_t> val_idx(data_.val.count);
  std::iota(val_idx.begin(), val_idx.end(), 0);
  const LossResult v = trainer.evaluate(data_.val, val_idx.data(), val_idx.size(), norm);
  return {epoch,
          partial.loss_sum / double(partial.images),
          double(partial.correct) / double(partial.images),
          v.loss_sum / double(data_.val.count),
          double(v.correct) / double(data_.val.count),
          seconds,
          double(partial.images) / seconds};
}

bool TrainingRun::end_epoch(const EpochRecord& rec, TrainerBackend& trainer) {
  const TrainConfig& c = config_;
  state_.history.push_back(rec);
  std::printf("Epoch %zu/%zu - loss %.4f - acc %.4f - val_loss %.4f - val_acc %.4f - %.1fs - %.0f img/s\n", rec.epoch,
              c.epochs, rec.loss, rec.accuracy, rec.val_loss, rec.val_accuracy, rec.seconds, rec.images_per_second);
  std::fflush(stdout);
  if (rec.epoch == 1) warn_if_at_chance(rec);
  const bool stop_early = watch_validation(rec, trainer);
  state_.epochs_done = rec.epoch;
  state_.batches_done = 0;
  state_.partial = {};
  state_.rng_epoch_start = rng_.state();
  if (stop_requested || (c.checkpoint_every && rec.epoch % c.checkpoint_every == 0)) {
    trainer.sync_to_host();
    save_checkpoint();
  }
  if (stop_requested) throw Interrupted{c.checkpoint_path()};
  return stop_early;
}

void TrainingRun::finish(TrainerBackend& trainer, const std::string& started) {
  const TrainConfig& c = config_;
  const Normalization norm{c.norm_mean, c.norm_std};
  std::vector<std::size_t> test_idx(data_.test.count);
  std::iota(test_idx.begin(), test_idx.end(), 0);
  std::vector<std::uint8_t> predictions;
  const LossResult t = trainer.evaluate(data_.test, test_idx.data(), test_idx.size(), norm, &predictions);
  const double accuracy = double(t.correct) / double(data_.test.count);
  std::printf("test accuracy: %.4f (%zu/%zu), test loss %.4f\n", accuracy, t.correct, data_.test.count,
              t.loss_sum / double(data_.test.count));
  const ConfusionMatrix confusion = confusion_matrix(data_.test, predictions, network_.num_classes());
  print_classification_report(confusion);

  ModelInfo info;
  info.recipe = c.recipe;
  info.dataset = dataset_name(c.data);
  info.trainer_version = trainer_version();
  info.normalization = norm;
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", accuracy);
  info.test_accuracy = text;
  info.extra = c.without_paths().to_metadata();
  info.extra[checkpoint_key::history] = history_to_json(state_.history);
  info.extra["test_images"] = std::to_string(data_.test.count);
  trainer.sync_to_host();
  save_model(c.out, network_, info);
  std::printf("model written to %s\n", c.out.c_str());
  // The run is complete in the model: its checkpoint would only resume a finished run.
  if (std::error_code ec; !c.keep_checkpoint && std::filesystem::remove(c.checkpoint_path(), ec))
    std::printf("checkpoint %s removed (the run is finished; --keep-checkpoint keeps it)\n", c.checkpoint_path().c_str());
  if (!c.report_dir.empty()) {
    write_run_report(c.report_dir, {c, command_line(), started, state_.history, batch_history_, confusion, accuracy,
                                    t.loss_sum / double(data_.test.count), network_.parameter_count(), &data_.test,
                                    predictions, &data_.train, drawn_.get()});
    std::printf("report written to %s/index.html\n", c.report_dir.c_str());
  }
}

}  // namespace lenet
