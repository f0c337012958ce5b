// lenet-train trace: MNIST digits traced into pen strokes and written as labelled drawings (the
// page's format plus "label" and "style"), the stand-in for digits people draw that
// `eval-drawings` measures a model on. With --styles held-out, each test digit of a styled class is
// also written in that style with geometry training never draws (core/ink/style_proxy.hpp). With
// --numbers N it writes N whole numbers set together from the traced digits instead
// (core/ink/written_numbers.hpp), labelled with strings, their difficulties as "style" tags.
#include <cstdio>
#include <memory>
#include <thread>

#include "native_trainer/commands/commands.hpp"
#include "native_trainer/commands/flag_checks.hpp"
#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/ink/style_proxy.hpp"
#include "core/ink/written_numbers.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/run/drawn_training.hpp"

namespace lenet {

namespace {

struct TraceCommandOptions {
  std::string data = default_data_dir(), set = "test", styles = "none", out;
  std::size_t first = 0, count = 0;
  std::size_t numbers = 0;  // 0: single digits
  std::uint64_t seed = 0;   // 0: the set's own default (number_seed)
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
};

Dataset images_to_trace(const TraceCommandOptions& o) {
  TrainTestData data = load_data_dir(o.data);
  Dataset& set = o.set == "train" ? data.train : data.test;
  if (o.first >= set.count) throw Error("--first " + std::to_string(o.first) + ": the " + o.set + " set has " + std::to_string(set.count) + " images");
  const std::size_t count = o.count == 0 ? set.count - o.first : o.count;
  if (count > set.count - o.first)
    throw Error("--first " + std::to_string(o.first) + " --count " + std::to_string(count) + ": the " + o.set + " set has only " +
                std::to_string(set.count) + " images");
  const std::size_t pixels = set.rows * set.cols;
  Dataset part{count, set.rows, set.cols, {}, {}};
  part.images.assign(set.images.begin() + std::ptrdiff_t(o.first * pixels), set.images.begin() + std::ptrdiff_t((o.first + count) * pixels));
  part.labels.assign(set.labels.begin() + std::ptrdiff_t(o.first), set.labels.begin() + std::ptrdiff_t(o.first + count));
  return part;
}

const StyleRanges* ranges_for(const TraceCommandOptions& o) {
  if (o.styles == "none") return nullptr;
  if (o.styles == "training") return &training_style_ranges();
  if (o.set != "test")
    throw Error("--styles held-out writes test digits only (the held-out measurement must not share digits with training); "
                "use --set test");
  return &held_out_style_ranges();
}

// Numbers from training digits come from their own ranges and seed; the stand-in's (test digits)
// from the ranges training leaves out, with a seed of its own.
std::uint64_t number_seed(const TraceCommandOptions& o) { return o.seed ? o.seed : o.set == "train" ? 1 : 2027; }

void run_trace_numbers(const TraceCommandOptions& o, const Dataset& images, const std::vector<TracedDigit>& traced) {
  const WrittenNumberRanges& ranges = o.set == "train" ? training_number_ranges() : stand_in_number_ranges();
  Rng rng(number_seed(o));
  std::vector<LabelledNumber> out;
  for (std::size_t i = 0; i < o.numbers; ++i) {
    WrittenNumber n = write_random_number(traced, images.labels, ranges, rng);
    out.push_back({std::move(n.drawing), n.label, difficulty_tags(n)});
  }
  const std::string text = labelled_numbers_to_json(out);
  write_file_atomic(o.out, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  std::printf("%zu numbers -> %s: set from %s digits %zu..%zu (%s ranges, seed %llu)\n", out.size(), o.out.c_str(),
              o.set.c_str(), o.first, o.first + images.count - 1, o.set == "train" ? "training" : "stand-in",
              static_cast<unsigned long long>(number_seed(o)));
}

void run_trace(const TraceCommandOptions& o) {
  if (o.numbers > 0 && o.styles != "none") throw Error("--numbers writes numbers of plain traced digits; leave out --styles");
  const StyleRanges* ranges = ranges_for(o);
  const Dataset images = images_to_trace(o);
  if (o.numbers > 0) return run_trace_numbers(o, images, trace_dataset(images, o.threads));
  const std::vector<TracedDigit> traced = trace_dataset(images, o.threads);
  std::vector<LabelledDrawing> out;
  // The drawing's index is its position in the whole set, so the same digit is drawn the same way
  // whichever --first and --count pick it.
  for (std::size_t i = 0; i < images.count; ++i)
    out.push_back({styled_test_drawing(traced[i], Style::none, held_out_style_ranges(), o.first + i), images.labels[i], ""});
  std::string summary;
  for (Style style : ranges ? all_styles() : std::span<const Style>{}) {
    std::size_t written = 0;
    for (std::size_t i = 0; i < images.count; ++i) {
      if (images.labels[i] != style_digit(style) || traced[i].strokes.empty()) continue;
      out.push_back({styled_test_drawing(traced[i], style, *ranges, o.first + i), images.labels[i], style_name(style)});
      ++written;
    }
    summary += (summary.empty() ? "" : ", ") + std::string(style_name(style)) + " " + std::to_string(written);
  }
  const std::string text = labelled_drawings_to_json(out);
  write_file_atomic(o.out, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  std::printf("%zu drawings -> %s: %s digits %zu..%zu traced (%zu)%s%s\n", out.size(), o.out.c_str(), o.set.c_str(), o.first,
              o.first + images.count - 1, images.count, summary.empty() ? "" : "; restyled: ", summary.c_str());
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto o = std::make_shared<TraceCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "Trace MNIST digits into pen strokes and write them as labelled drawings (the page's format plus \"label\" "
               "and \"style\") for eval-drawings: a stand-in for digits people draw");
  cmd->add_option("--out", o->out, "The JSON file to write")->required();
  cmd->add_option("--data", o->data, data_option_help)->capture_default_str();
  cmd->add_option("--set", o->set, "Which images: test or train")->capture_default_str()->check(CLI::IsMember({"test", "train"}));
  cmd->add_option("--first", o->first, "Index of the first image")->capture_default_str()->check(whole_number(0));
  cmd->add_option("--count", o->count, "How many images (0: all from --first on)")->capture_default_str()->check(whole_number(0));
  cmd->add_option("--styles", o->styles,
                  "Also write each digit of a styled class in its writing styles: none; held-out (test set only: geometry "
                  "training never draws, the measurement); training (the ranges training draws from)")
      ->capture_default_str()->check(CLI::IsMember({"none", "held-out", "training"}));
  cmd->add_option("--numbers", o->numbers,
                  "Write this many whole numbers set together from the traced digits instead (labels such as \"5/27\"; "
                  "--set train: training's ranges, --set test: the stand-in's, which training never draws)")
      ->capture_default_str()->check(whole_number(0));
  cmd->add_option("--seed", o->seed, "Seed of --numbers (0: 1 for --set train, 2027 for the stand-in)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Worker threads for tracing")->capture_default_str()->check(whole_number(1, max_threads));
  cmd->callback([o] { run_trace(*o); });
}

}  // namespace lenet
