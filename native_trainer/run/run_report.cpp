#include "native_trainer/run/run_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/ink/augment.hpp"
#include "native_trainer/report/html_page.hpp"
#include "native_trainer/report/pictures.hpp"

namespace lenet {

namespace {

std::string history_csv(const std::vector<EpochRecord>& history) {
  std::string csv = "epoch,loss,accuracy,val_loss,val_accuracy,seconds,images_per_second\n";
  char line[256];
  for (const EpochRecord& r : history) {
    std::snprintf(line, sizeof line, "%zu,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f\n", r.epoch, r.loss, r.accuracy, r.val_loss,
                  r.val_accuracy, r.seconds, r.images_per_second);
    csv += line;
  }
  return csv;
}

nlohmann::json metrics_json(const RunSummary& run) {
  const ClassificationReport report = classification_report(run.confusion);
  auto metrics = [](const ClassMetrics& m) {
    return nlohmann::json{{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"support", m.support}};
  };
  nlohmann::json per_class = nlohmann::json::object();
  for (std::size_t c = 0; c < report.per_class.size(); ++c) per_class[std::to_string(c)] = metrics(report.per_class[c]);
  return {{"architecture", run.config.arch},
          {"recipe", run.config.recipe},
          {"parameters", run.parameters},
          {"epochs", run.history.size()},
          {"test_accuracy", run.test_accuracy},
          {"test_loss", run.test_loss},
          {"test_images", report.total},
          {"per_class", per_class},
          {"macro_avg", metrics(report.macro_avg)},
          {"weighted_avg", metrics(report.weighted_avg)},
          {"confusion_matrix", confusion_rows(run.confusion)},
          {"train_config", nlohmann::json::parse(run.config.to_metadata().at("train_config"))}};
}

// Training digits as --drawn shows them to the network (redrawn from their strokes, then
// augmented): ten of each digit drawn plainly, then ten in each writing style, from the first
// training images of the class.
std::vector<GridDigit> drawn_examples(const Dataset& train, const DrawnTraining& drawn, std::uint64_t seed) {
  std::vector<std::pair<int, Style>> rows;
  for (int digit = 0; digit < 10; ++digit) rows.emplace_back(digit, Style::none);
  for (Style style : all_styles()) rows.emplace_back(style_digit(style), style);
  Rng rng(seed ^ 0x5eedf0e8a3b1c2d4ULL);
  const AugmentConfig augment;
  std::vector<GridDigit> out;
  for (const auto& [digit, style] : rows) {
    std::size_t shown = 0;
    for (std::size_t i = 0; i < train.count && shown < 10; ++i) {
      if (train.labels[i] != digit || drawn.traced[i].strokes.empty()) continue;
      const DrawnDigit d = draw_traced_digit(drawn.traced[i], style, drawn.config, rng);
      std::array<float, digit_side * digit_side> seen{};
      augment_ink(d.digit.pixels.data(), digit_side, digit_side, augment, rng, seen.data());
      GridDigit cell{{}, int(digit_side), int(digit_side), {style == Style::none ? "drawn " + std::to_string(digit) : style_name(style)}, true};
      for (float v : seen) cell.grey.push_back(std::uint8_t(std::lround(255 * std::clamp(v, 0.0f, 1.0f))));
      out.push_back(std::move(cell));
      ++shown;
    }
  }
  return out;
}

// Every setting of the run, as the model's train_config keeps it.
std::string settings_table(const TrainConfig& config) {
  std::string rows;
  for (const auto& [key, text] : settings_as_text(config.to_metadata().at("train_config")))
    rows += "<tr><th>" + html_escape(key) + "</th><td>" + html_escape(text) + "</td></tr>";
  return "<details open><summary>Settings</summary><table class=\"settings\">" + rows + "</table></details>\n";
}

std::string index_html(const RunSummary& run, std::size_t misclassified) {
  char acc[64];
  std::snprintf(acc, sizeof acc, "%.2f %%", 100.0 * run.test_accuracy);
  std::string rows;
  for (const EpochRecord& r : run.history) {
    char line[256];
    std::snprintf(line, sizeof line, "<tr><td>%zu</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.1f</td><td>%.0f</td></tr>\n",
                  r.epoch, r.loss, r.accuracy, r.val_loss, r.val_accuracy, r.seconds, r.images_per_second);
    rows += line;
  }
  const std::string title = run.config.recipe.empty() ? "lenet-train run" : "lenet-train: recipe " + run.config.recipe;
  return html_page(title,
         "<p>Command <code>" + html_escape(run.command_line) + "</code>, started " + html_escape(run.started) + ", seed " +
         std::to_string(run.config.seed) + (run.config.recipe.empty() ? "" : ", recipe " + html_escape(run.config.recipe)) +
         ".</p>\n" + settings_table(run.config) +
         std::string("<p>Test accuracy <strong>") + acc + "</strong> on " + std::to_string(run.confusion.total()) + " test images. "
         "Architecture <code>" + html_escape(run.config.arch) + "</code> (" + std::to_string(run.parameters) + " parameters), " +
         std::string(optimizer_name(run.config.optimizer)) + ", batch " + std::to_string(run.config.batch_size) + ", " +
         std::to_string(run.history.size()) + " epochs.</p>\n"
         "<h2>Training curves</h2><img src=\"curves.png\" alt=\"loss and accuracy per epoch, training and validation\">\n"
         "<table><tr><th>epoch</th><th>loss</th><th>acc</th><th>val_loss</th><th>val_acc</th><th>seconds</th><th>images/s</th></tr>\n" +
         rows + "</table> <p><a href=\"history.csv\">history.csv</a> &middot; <a href=\"metrics.json\">metrics.json</a></p>\n"
         "<h2>Classification report</h2><pre>" + html_escape(format_classification_report(classification_report(run.confusion))) +
         "</pre>\n<h2>Confusion matrix</h2><img src=\"confusion.png\" alt=\"confusion matrix heat map\">\n"
         "<h2>The first 25 test digits</h2><img src=\"samples.png\" alt=\"the first 25 test digits with predicted and true labels\">\n"
         "<h2>Misclassified test digits</h2><p>" + std::to_string(misclassified) + " in all" +
         (misclassified > 100 ? ", the first 100 shown" : "") + ".</p><img src=\"misclassified.png\" alt=\"misclassified test digits\">\n" +
         (run.drawn ? "<h2>What training was shown: digits redrawn from their strokes</h2><p>A share of the training images "
                      "(--drawn) is traced into pen strokes, sometimes rewritten in a writing style MNIST lacks, and redrawn "
                      "with a random pen as the page draws, then augmented. Each digit drawn plainly, then each writing "
                      "style:</p><img src=\"drawn.png\" alt=\"training digits redrawn from strokes, per digit and per writing style\">\n"
                    : ""));
}

}  // namespace

void write_run_report(const std::string& dir, const RunSummary& run) {
  const std::filesystem::path d = make_report_folder(dir);
  write_text_file(d / "history.csv", history_csv(run.history));
  write_text_file(d / "metrics.json", metrics_json(run).dump(2) + "\n");
  draw_training_curves(run.history, run.batches, (d / "curves.png").string());
  draw_confusion_matrix(run.confusion, (d / "confusion.png").string());
  std::size_t misclassified = 0;
  if (run.test) {
    std::vector<std::size_t> first, wrong;
    for (std::size_t i = 0; i < run.predictions.size(); ++i) {
      if (first.size() < 25) first.push_back(i);
      if (run.predictions[i] != run.test->labels[i]) {
        ++misclassified;
        if (wrong.size() < 100) wrong.push_back(i);
      }
    }
    draw_digit_grid(*run.test, run.predictions, first, 5, "first 25 test digits", (d / "samples.png").string());
    draw_digit_grid(*run.test, run.predictions, wrong, 10, "misclassified test digits", (d / "misclassified.png").string());
  }
  if (run.train && run.drawn)
    draw_digit_grid(drawn_examples(*run.train, *run.drawn, run.config.seed), 10,
                    "training digits redrawn from strokes: each digit, then each writing style", (d / "drawn.png").string());
  write_text_file(d / "index.html", index_html(run, misclassified));
}

}  // namespace lenet
