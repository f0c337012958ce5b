// lenet-train train: a recipe or hand-picked flags (or a checkpoint to resume) -> a trained model.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "native_trainer/commands/commands.hpp"
#include "native_trainer/commands/flag_checks.hpp"
#include "core/base/error.hpp"
#include "core/nn/init.hpp"
#include "core/nn/spec.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/run/trainer_backend.hpp"
#include "native_trainer/run/training_run.hpp"

namespace lenet {

namespace {

extern "C" void on_sigint(int) { stop_requested = true; }

struct TrainFlags {
  TrainConfig config;
  double val_split = 0.1;
  std::size_t val_last = 0;
  bool split = false;
  Device device = Device::cpu;
  std::string resume;
};

// The flags whose defaults a recipe sets.
const std::vector<std::string> recipe_flags = {"--optimizer", "--lr",      "--momentum",    "--batch-size",
                                               "--epochs",    "--augment", "--drawn",       "--lr-schedule",
                                               "--init",      "--val-split", "--val-last", "--split"};

// Flags given on the command line, in the form a recipe or --resume may be overridden with.
std::vector<std::string> given(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* o : cmd.get_options())
    if (o->count() > 0 && !o->get_lnames().empty()) out.push_back("--" + o->get_lnames().front());
  return out;
}

void run_train(const TrainFlags& flags, const CLI::App& cmd) {
  if (const std::string why = device_unavailable_reason(flags.device); !why.empty()) throw Error(why);
  std::signal(SIGINT, on_sigint);
  std::vector<std::string> flags_given = given(cmd);
  if (!flags.resume.empty()) {
    std::erase(flags_given, std::string("--resume"));
    std::erase(flags_given, std::string("--device"));  // a run may continue on the other device
    TrainingRun::resume(flags.resume, flags.config, flags_given).run(flags.device);
    return;
  }
  TrainConfig c = flags.config;
  auto unset = [&](const char* flag) { return cmd.count(flag) == 0; };
  // A preset without --recipe trains with its own recipe's settings: one set of generic defaults
  // (SGD 0.01, Glorot weights) taught lenet5's sigmoid network nothing in its first epoch.
  if (const Recipe* own = c.recipe.empty() ? recipe_of_preset(c.arch) : nullptr) {
    c.recipe = own->name;
    std::string overridden;  // the recipe's settings that flags replace
    for (const std::string& flag : flags_given)
      if (std::ranges::find(recipe_flags, flag) != recipe_flags.end()) overridden += " " + flag;
    std::printf("lenet-train: the %s preset trains with its recipe's settings (--recipe %s)%s\n", c.arch.c_str(),
                own->name.c_str(), overridden.empty() ? "" : (", except" + overridden + " as given").c_str());
  }
  if (!c.recipe.empty()) {  // the recipe sets everything the flags did not
    const Recipe& r = find_recipe(c.recipe);
    if (unset("--arch")) c.arch = r.arch;
    if (unset("--optimizer")) c.optimizer = r.optimizer;
    // The recipe's rate is for its optimiser; another one starts from that optimiser's default.
    if (unset("--lr")) c.learning_rate = c.optimizer == r.optimizer ? r.learning_rate : default_learning_rate(c.optimizer);
    if (unset("--momentum")) c.momentum = r.momentum;
    if (unset("--batch-size")) c.batch_size = r.batch_size;
    if (unset("--epochs")) c.epochs = r.epochs;
    if (unset("--augment")) c.augment = r.augment;
    if (unset("--drawn")) c.drawn = r.drawn;
    if (unset("--lr-schedule")) c.lr_schedule = r.lr_schedule;
    if (unset("--init")) c.init = r.init;
    c.validation = r.validation;
    c.validation_amount = r.validation_amount;
  } else if (unset("--lr")) {
    c.learning_rate = default_learning_rate(c.optimizer);
  }
  if (!unset("--val-split")) c.validation = Validation::fraction, c.validation_amount = flags.val_split;
  if (!unset("--val-last")) c.validation = Validation::last_n, c.validation_amount = double(flags.val_last);
  if (flags.split) c.validation = Validation::resplit, c.validation_amount = 2.0 / 3.0;
  TrainingRun(c).run(flags.device);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto f = std::make_shared<TrainFlags>();
  TrainConfig& c = f->config;
  c.threads = std::max(1u, std::thread::hardware_concurrency());
  c.data = default_data_dir();
  CLI::App* cmd = app.add_subcommand("train", "Train a network and write its weights (safetensors)");
  std::string recipe_help = "Reproduce a seed tutorial's experiment (sets arch, optimiser, lr, batch, epochs, validation, initial weights):";
  for (const Recipe& r : recipes()) recipe_help += "\n  " + r.name + ": " + r.source + ", reported " + r.seed_reported;
  recipe_help += "\nWithout --recipe, a preset (--arch) trains with the settings of its own recipe, the first above with "
                 "that network; the defaults shown below are for spec strings";
  cmd->add_option("--recipe", c.recipe, recipe_help);
  cmd->add_option("--arch", c.arch, "Architecture preset (" + arch_preset_names() + ") or spec string")
      ->capture_default_str();
  cmd->add_option("--epochs", c.epochs, "Passes over the training set")->capture_default_str()->check(whole_number(1));
  cmd->add_option("--batch-size", c.batch_size, "Images per optimisation step")->capture_default_str()->check(whole_number(1));
  cmd->add_option_function<std::string>(
         "--optimizer", [&c](const std::string& s) { c.optimizer = optimizer_from_name(s); },
         "sgd or adam (Keras' update rules)")
      ->check(CLI::IsMember({"sgd", "adam"}))->default_str("sgd");
  cmd->add_option("--lr", c.learning_rate, "Learning rate (default 0.01 for sgd, 0.001 for adam)")->capture_default_str();
  cmd->add_option("--momentum", c.momentum, "SGD momentum")->capture_default_str()->check(number_between(0.0, 0.9999));
  cmd->add_option_function<std::vector<float>>(
         "--normalize", [&c](const std::vector<float>& v) { c.norm_mean = v.at(0), c.norm_std = v.at(1); },
         "Input normalisation MEAN,STD: x = (pixel/255 - MEAN) / STD (default 0,1; MNIST's own statistics are 0.1307,0.3081)")
      ->expected(2)->delimiter(',');
  cmd->add_flag("--augment,!--no-augment", c.augment,
                "Train on random variants of the images: rotation, scale, shear, shift, elastic distortion, stroke "
                "thickness (for digits people draw)");
  cmd->add_option("--drawn", c.drawn,
                  "With --augment: this share of the training images is traced into pen strokes, sometimes rewritten "
                  "in a writing style MNIST lacks (flagged 1, crossed 7, slashed 0, open 4, ...), and redrawn with a "
                  "random pen as the page draws (0: none)")
      ->capture_default_str()->check(number_between(0.0, 1.0));
  cmd->add_option_function<std::string>(
         "--lr-schedule", [&c](const std::string& s) { c.lr_schedule = lr_schedule_from_name(s); },
         "constant; cosine: anneal from --lr to 0 over the run; step: a tenth of the rate every --lr-step "
         "epochs; plateau: a tenth after --lr-patience epochs without a lower validation loss")
      ->check(CLI::IsMember(lr_schedule_names()))->default_str("constant");
  cmd->add_option("--lr-step", c.lr_step, "With --lr-schedule step: epochs between divisions (0: a third of the run)")
      ->capture_default_str()->check(whole_number(0));
  cmd->add_option("--lr-patience", c.lr_patience,
                  "With --lr-schedule plateau: epochs without a lower validation loss before the rate is divided by 10")
      ->capture_default_str()->check(whole_number(1));
  cmd->add_option("--weight-decay", c.weight_decay,
                  "Weight decay: AdamW's decoupled decay with adam (Loshchilov & Hutter 2019), L2 added to the "
                  "gradient with sgd (0: none)")
      ->capture_default_str()->check(number_between(0.0, 1.0));
  cmd->add_option("--early-stopping", c.early_stopping,
                  "Stop when the validation loss has not improved for this many epochs, and keep the best epoch's "
                  "weights (Keras' EarlyStopping with restore_best_weights; 0: off)")
      ->capture_default_str()->check(whole_number(0));
  cmd->add_option_function<std::string>(
         "--init", [&c](const std::string& s) { c.init = init_from_name(s); },
         "How the weights start (biases at zero): glorot-uniform (Keras' default), glorot-uniform-early-keras "
         "(Keras in 2016: a conv kernel's fan-out is its filter count, so conv weights start larger), he-uniform, "
         "he-normal, or truncated-normal (standard deviation 0.1, redrawn beyond 0.2: TensorFlow 1's tutorials)")
      ->check(CLI::IsMember(init_names()))
      ->default_str("glorot-uniform");
  cmd->add_option("--seed", c.seed, "Seed of the run's one random generator (init, shuffling)")->capture_default_str()->check(whole_number(0));
  cmd->add_option("--threads", c.threads, "Worker threads (default: all cores)")->capture_default_str()->check(whole_number(1, max_threads));
  auto* val_split = cmd->add_option("--val-split", f->val_split, "Hold out this last fraction of the training set for validation")
                        ->capture_default_str()->check(number_between(0.0, 0.99));
  auto* val_last = cmd->add_option("--val-last", f->val_last, "Hold out the last N training images for validation")->check(whole_number(0));
  auto* split = cmd->add_flag("--split", f->split, "Re-split all 70,000 images: 2/3 train, 1/3 test (validation on the test part)");
  val_split->excludes(val_last)->excludes(split);
  val_last->excludes(split);
  cmd->add_option("--data", c.data, data_option_help)->capture_default_str();
  cmd->add_option("--out", c.out, "Where to write the trained model")->capture_default_str();
  cmd->add_option("--checkpoint-every", c.checkpoint_every,
                  "Write OUT's .checkpoint.safetensors every N epochs (0: only on Ctrl-C)")->capture_default_str()->check(whole_number(0));
  cmd->add_flag("--keep-checkpoint", c.keep_checkpoint,
                "Keep OUT's checkpoint when the run finishes (it is removed: the model holds the finished run)");
  cmd->add_option("--report", c.report_dir, "Write a report into this folder: index.html with training curves, classification report, confusion matrix and digit grids (PNG), history.csv, metrics.json");
  cmd->add_option("--resume", f->resume, "Continue the run saved in this checkpoint (weights, optimiser, epoch, random stream)")
      ->check(CLI::ExistingFile);
  cmd->add_option_function<std::string>(
         "--device", [f](const std::string& s) { f->device = device_from_name(s); }, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))->default_str("cpu");
  cmd->add_option("--train-images", c.train_images, "Use only the first N training images (0: all)")->capture_default_str()->check(whole_number(0));
  cmd->add_option("--test-images", c.test_images, "Use only the first N test images (0: all)")->capture_default_str()->check(whole_number(0));
  cmd->callback([f, cmd] { run_train(*f, *cmd); });
}

}  // namespace lenet
