#include "run_report.hpp"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/file_io.hpp"

namespace lenet {

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  write_file_atomic(path.string(), reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

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
  nlohmann::json matrix = nlohmann::json::array();
  for (std::size_t t = 0; t < run.confusion.classes; ++t) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t p = 0; p < run.confusion.classes; ++p) row.push_back(run.confusion.at(t, p));
    matrix.push_back(row);
  }
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
          {"confusion_matrix", matrix},
          {"train_config", nlohmann::json::parse(run.config.to_metadata().at("train_config"))}};
}

}  // namespace

void write_run_report(const std::string& dir, const RunSummary& run) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("--report " + dir + ": cannot create the folder (" + ec.message() + ")");
  const std::filesystem::path d(dir);
  write_text(d / "history.csv", history_csv(run.history));
  write_text(d / "metrics.json", metrics_json(run).dump(2) + "\n");
}

}  // namespace lenet
