// lenet-train plausibility: how often the "That does not look like a digit" rule (core/read/plausibility.hpp)
// rejects real digits and catches synthetic non-digits (core/ink/non_digits.hpp), for each model given.
//   --set test  (the report): all MNIST test images, the test digits traced and drawn as the page
//               draws them (as `trace` writes them), and non-digits from the report seed;
//   --set train (what the rule's limits are fitted on): MNIST training images, training digits
//               traced and redrawn as training redraws them, and non-digits from the fitting seed;
//               also prints the per-class shape limits fitted on these digits.
// --dump writes every input's signals as CSV.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "native_trainer/commands/commands.hpp"
#include "native_trainer/commands/flag_checks.hpp"
#include "core/ink/drawn_digit.hpp"
#include "core/base/error.hpp"
#include "core/read/inference.hpp"
#include "core/ink/non_digits.hpp"
#include "core/read/plausibility.hpp"
#include "core/ink/style_proxy.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/run/drawn_training.hpp"

namespace lenet {

namespace {

struct PlausibilityOptions {
  std::vector<std::string> models;
  std::string data = default_data_dir(), set = "test", dump;
  std::size_t count = 0, per_kind = 200;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
};

constexpr std::uint64_t fit_seed = 1, report_seed = 2;  // non-digits: fitted on one, reported on another
constexpr std::uint64_t redraw_seed = 0x7e57ab1e;        // how the traced training digits are redrawn

struct Sample {
  std::string source;  // "mnist", "traced", or the non-digit's kind
  int label = -1;      // the digit; -1 for a non-digit
  Digit28 input;
};

std::vector<Sample> samples(const PlausibilityOptions& o) {
  TrainTestData data = load_data_dir(o.data);
  Dataset& set = o.set == "train" ? data.train : data.test;
  if (o.count) keep_first(set, o.count);
  std::vector<Sample> out;
  std::vector<float> grey(set.rows * set.cols);
  for (std::size_t i = 0; i < set.count; ++i) {
    for (std::size_t k = 0; k < grey.size(); ++k) grey[k] = set.image(i)[k] / 255.0f;
    out.push_back({"mnist", set.labels[i], preprocess_grey(grey.data(), set.cols, set.rows)});
  }
  const std::vector<TracedDigit> traced = trace_dataset(set, o.threads);
  Rng rng(redraw_seed);
  for (std::size_t i = 0; i < set.count; ++i) {
    if (traced[i].strokes.empty()) continue;
    const Drawing d = o.set == "train" ? draw_traced_digit(traced[i], set.labels[i], DrawnDigitConfig{}, rng).drawing
                                       : styled_test_drawing(traced[i], Style::none, held_out_style_ranges(), i);
    out.push_back({"traced", set.labels[i], preprocess_drawing(d)});
  }
  const std::uint64_t seed = o.set == "train" ? fit_seed : report_seed;
  for (std::size_t i = 0; i < o.per_kind * all_non_digit_kinds().size(); ++i)
    out.push_back({non_digit_name(non_digit_sample_kind(i)), -1, preprocess_drawing(non_digit_sample(seed, i))});
  return out;
}

struct Count {
  std::size_t rejected = 0, total = 0;
};

std::string rate(const Count& c) {
  char text[64];
  std::snprintf(text, sizeof text, "%6.2f %% (%zu/%zu)", c.total ? 100.0 * double(c.rejected) / double(c.total) : 0.0,
                c.rejected, c.total);
  return text;
}

// The 95 % quantile per class of one shape count over the digits: what plausibility_limits() holds.
void print_typical(const char* what, const std::vector<Sample>& all, const std::vector<DigitSignals>& shapes,
                   int DigitSignals::*count) {
  std::printf("  typical_%s = {", what);
  for (int c = 0; c < 10; ++c) {
    std::vector<int> v;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].label == c) v.push_back(shapes[i].*count);
    std::sort(v.begin(), v.end());
    std::printf("%s%d", c ? ", " : "", v.empty() ? 0 : v[std::min(v.size() - 1, v.size() * 95 / 100)]);
  }
  std::printf("}\n");
}

void run_plausibility(const PlausibilityOptions& o) {
  const std::vector<Sample> all = samples(o);
  std::vector<DigitSignals> shapes;
  for (const Sample& s : all) shapes.push_back(shape_signals(s.input));
  if (o.set == "train") {
    std::printf("shape limits fitted on %s\n", "the training digits (MNIST and traced)");
    print_typical("ends", all, shapes, &DigitSignals::free_ends);
    print_typical("strokes", all, shapes, &DigitSignals::strokes);
    print_typical("crossings", all, shapes, &DigitSignals::crossings);
  }
  std::ofstream dump;
  if (!o.dump.empty()) {
    dump.open(o.dump);
    if (!dump) throw Error(o.dump + ": cannot write the dump there");
    dump << "model,source,label,ink,box_height,free_ends,strokes,crossings,diagonal_cross,top_class,top_probability,steadiness,plausible\n";
  }
  for (const std::string& path : o.models) {
    Model model = load_model(path);
    std::map<std::string, Count> per_source;
    Count non_digits;
    const auto start = std::chrono::steady_clock::now();
    std::size_t judged = 0;
    for (const Sample& s : all) {
      if (s.input.empty) continue;  // nothing to classify: the page says "Nothing drawn"
      // classify_digit's verdict (what the page shows); the signals, all computed, for the dump.
      const Prediction p = classify_digit(model.network, model.info.normalization, s.input);
      const bool rejected = !p.plausible;
      const DigitSignals g = dump.is_open() ? digit_signals(model.network, model.info.normalization, s.input, p.probabilities) : DigitSignals{};
      ++judged;
      Count& c = per_source[s.source];
      c.rejected += rejected, ++c.total;
      if (s.label < 0) non_digits.rejected += rejected, ++non_digits.total;
      if (dump.is_open())
        dump << path << ',' << s.source << ',' << s.label << ',' << g.ink << ',' << g.box_height << ',' << g.free_ends << ','
             << g.strokes << ',' << g.crossings << ',' << g.diagonal_cross << ',' << g.top_class << ',' << g.top_probability << ',' << g.steadiness << ','
             << !rejected << '\n';
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s (%s set; %.2f ms per classification, judged)\n", path.c_str(), o.set.c_str(), judged ? ms / double(judged) : 0.0);
    std::printf("  real digits rejected: MNIST %s, traced and drawn %s\n", rate(per_source["mnist"]).c_str(),
                rate(per_source["traced"]).c_str());
    std::printf("  non-digits caught:    %s\n", rate(non_digits).c_str());
    for (NonDigitKind kind : all_non_digit_kinds())
      std::printf("    %-12s %s\n", non_digit_name(kind), rate(per_source[non_digit_name(kind)]).c_str());
  }
}

}  // namespace

void add_plausibility_command(CLI::App& app) {
  auto o = std::make_shared<PlausibilityOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plausibility", "Measure the \"That does not look like a digit\" rule: real digits rejected (MNIST, traced and "
                      "drawn) and synthetic non-digits caught, per model");
  cmd->add_option("--model", o->models, "Model file(s) (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", o->data, data_option_help)->capture_default_str();
  cmd->add_option("--set", o->set, "test: the report; train: the data the rule's limits are fitted on")
      ->capture_default_str()->check(CLI::IsMember({"test", "train"}));
  cmd->add_option("--count", o->count, "Only the first COUNT MNIST images (0: all)")->capture_default_str()->check(whole_number(0));
  cmd->add_option("--per-kind", o->per_kind, "Non-digits of each kind")->capture_default_str()->check(whole_number(1));
  cmd->add_option("--dump", o->dump, "Write every input's signals to this CSV file");
  cmd->add_option("--threads", o->threads, "Worker threads for tracing")->capture_default_str()->check(whole_number(1, max_threads));
  cmd->callback([o] { run_plausibility(*o); });
}

}  // namespace lenet
