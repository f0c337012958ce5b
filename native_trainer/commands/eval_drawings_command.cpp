// lenet-train eval-drawings: a model's accuracy on labelled pen drawings (anyone's own data), each
// drawing preprocessed and classified exactly as `predict` does it, with the code the page runs.
// With --number each drawing is a whole number ("label": "2026"), read as `predict --number` reads it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/read/inference.hpp"
#include "core/read/number_reader.hpp"
#include "native_trainer/report/html_page.hpp"
#include "native_trainer/report/pictures.hpp"
#include "native_trainer/report/classification_report.hpp"

namespace lenet {

namespace {

// A PNG of more misread drawings than this would be too big to look at (10 columns, 100 rows).
constexpr std::size_t max_grid_drawings = 1000;

struct EvalDrawingsOptions {
  std::string model, report;
  std::vector<std::string> files;
  bool json = false;
  bool number = false;
};

// One labelled drawing, where it came from, and what the model made of it.
struct DrawingResult {
  std::string file;
  std::size_t index = 0;  // in its file's list, counting from 0 as the parser's errors do
  int label = 0;
  std::string style;
  Prediction prediction;
  int predicted = -1;  // -1: empty (nothing drawn), not classified
  bool right() const { return predicted == label; }
};

struct Tally {
  std::size_t right = 0, total = 0;
  void add(bool is_right) { right += is_right ? 1 : 0, ++total; }
  double share() const { return total ? double(right) / double(total) : 0.0; }
  std::string fraction() const { return std::to_string(right) + "/" + std::to_string(total); }
};

struct Summary {
  Tally all, without_style;
  std::map<std::string, Tally> per_style;  // sorted by name
  std::size_t empty = 0;
  // Only drawings with ink: an empty one has no predicted class (it still counts as wrong above).
  ConfusionMatrix matrix;
};

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f %%", 100.0 * share);
  return text;
}

// Every drawing of the file, its label checked against the model: a label the model cannot
// predict would make every metric quietly wrong.
std::vector<LabelledDrawing> read_labelled_file(const std::string& path, const std::string& model, std::size_t classes) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  std::vector<LabelledDrawing> drawings = labelled_drawings_from_json(std::string(bytes.begin(), bytes.end()), path);
  if (drawings.empty()) throw Error(path + " holds no drawings (an empty list)");
  for (std::size_t i = 0; i < drawings.size(); ++i)
    if (std::size_t(drawings[i].label) >= classes)
      throw Error(path + ": drawing " + std::to_string(i) + " has label " + std::to_string(drawings[i].label) + ", but " +
                  model + " has " + std::to_string(classes) + " classes (labels 0 to " + std::to_string(classes - 1) + ")");
  return drawings;
}

DrawingResult classify(Model& model, const std::string& file, std::size_t index, const LabelledDrawing& d) {
  DrawingResult r{file, index, d.label, d.style,
                  classify_digit(model.network, model.info.normalization, preprocess_drawing(d.drawing))};
  if (!r.prediction.empty) r.predicted = int(top_classes(r.prediction.probabilities, 1).front());
  return r;
}

std::vector<DrawingResult> classify_files(Model& model, const EvalDrawingsOptions& o) {
  // Every file is read and checked before any drawing is classified: a bad last file fails at once.
  std::vector<std::vector<LabelledDrawing>> files;
  for (const std::string& path : o.files) files.push_back(read_labelled_file(path, o.model, model.network.num_classes()));
  std::vector<DrawingResult> results;
  for (std::size_t f = 0; f < files.size(); ++f)
    for (std::size_t i = 0; i < files[f].size(); ++i) results.push_back(classify(model, o.files[f], i, files[f][i]));
  return results;
}

Summary summarise(const std::vector<DrawingResult>& results, std::size_t classes) {
  Summary s;
  std::vector<int> labels, predicted;
  for (const DrawingResult& r : results) {
    s.all.add(r.right());
    (r.style.empty() ? s.without_style : s.per_style[r.style]).add(r.right());
    if (r.prediction.empty) {
      ++s.empty;
      continue;
    }
    labels.push_back(r.label);
    predicted.push_back(r.predicted);
  }
  s.matrix = confusion_matrix(labels, predicted, classes);
  return s;
}

// The per-style lines: each style by name, then the drawings without one.
std::vector<std::pair<std::string, Tally>> style_rows(const Summary& s) {
  std::vector<std::pair<std::string, Tally>> rows(s.per_style.begin(), s.per_style.end());
  if (s.without_style.total) rows.emplace_back("(no style)", s.without_style);
  return rows;
}

std::string files_name(const std::vector<std::string>& files) {
  return files.size() == 1 ? files[0] : std::to_string(files.size()) + " files";
}

// What the classification report and the matrix cover, for their headings.
std::string classified_name(const Summary& s) {
  return s.empty ? "the " + std::to_string(s.matrix.total()) + " drawings with ink" : "drawings";
}

void print_style_table(const Summary& s) {
  const auto rows = style_rows(s);
  int name_width = 0, fraction_width = 0;
  for (const auto& [name, tally] : rows) {
    name_width = std::max(name_width, int(name.size()));
    fraction_width = std::max(fraction_width, int(tally.fraction().size()));
  }
  std::printf("accuracy by style:\n");
  for (const auto& [name, tally] : rows)
    std::printf("  %-*s  %*s  %8s\n", name_width, name.c_str(), fraction_width, tally.fraction().c_str(),
                percent(tally.share()).c_str());
}

void print_summary(const EvalDrawingsOptions& o, const Summary& s) {
  std::printf("%s on %s: accuracy %s (%s)\n", o.model.c_str(), files_name(o.files).c_str(), percent(s.all.share()).c_str(),
              s.all.fraction().c_str());
  std::printf("empty drawings (nothing drawn, counted as wrong): %zu\n", s.empty);
  if (!s.per_style.empty()) print_style_table(s);
  print_classification_report(s.matrix, classified_name(s));
}

nlohmann::json tally_json(const Tally& t) { return {{"right", t.right}, {"total", t.total}, {"accuracy", t.share()}}; }

// Every drawing counted as wrong, so that it can be found in its file.
nlohmann::json wrong_json(const std::vector<DrawingResult>& results) {
  nlohmann::json wrong = nlohmann::json::array();
  for (const DrawingResult& r : results) {
    if (r.right()) continue;
    nlohmann::json w = {{"file", r.file}, {"drawing", r.index}, {"label", r.label}, {"predicted", nullptr}};
    if (!r.prediction.empty) w["predicted"] = r.predicted;
    if (!r.style.empty()) w["style"] = r.style;
    wrong.push_back(std::move(w));
  }
  return wrong;
}

nlohmann::json summary_json(const EvalDrawingsOptions& o, const Summary& s, const std::vector<DrawingResult>& results) {
  nlohmann::json per_style = nlohmann::json::object();
  for (const auto& [name, tally] : s.per_style) per_style[name] = tally_json(tally);
  nlohmann::json j = {{"model", o.model},       {"files", o.files},          {"drawings", s.all.total},
                      {"right", s.all.right},   {"accuracy", s.all.share()}, {"empty", s.empty},
                      {"per_style", per_style}, {"classes", s.matrix.classes},
                      {"confusion_matrix", confusion_rows(s.matrix)}, {"wrong", wrong_json(results)}};
  if (s.without_style.total) j["without_style"] = tally_json(s.without_style);
  return j;
}

std::vector<std::uint8_t> grey_image(const Digit28& digit) {
  std::vector<std::uint8_t> grey(digit.pixels.size());
  std::transform(digit.pixels.begin(), digit.pixels.end(), grey.begin(),
                 [](float ink) { return std::uint8_t(std::lround(std::clamp(ink, 0.0f, 1.0f) * 255.0f)); });
  return grey;
}

// The 28x28 image the network saw, with the true and predicted class (and the style) under it.
GridDigit grid_digit(const DrawingResult& r) {
  GridDigit g{grey_image(r.prediction.input), int(digit_side), int(digit_side),
              {"pred " + std::to_string(r.predicted) + " / true " + std::to_string(r.label)}, r.right()};
  if (!r.style.empty()) g.caption.push_back(r.style);
  return g;
}

std::string style_table_html(const Summary& s) {
  std::string rows;
  for (const auto& [name, tally] : style_rows(s))
    rows += "<tr><td style=\"text-align:left\">" + html_escape(name) + "</td><td>" + std::to_string(tally.right) +
            "</td><td>" + std::to_string(tally.total) + "</td><td>" + percent(tally.share()) + "</td></tr>\n";
  return "<h2>Accuracy by style</h2><table><tr><th>style</th><th>right</th><th>drawings</th><th>accuracy</th></tr>\n" +
         rows + "</table>\n";
}

std::string misread_html(const std::vector<const DrawingResult*>& misread) {
  if (misread.empty()) return "<h2>Misread drawings</h2><p>None: every drawing with ink was read right.</p>\n";
  std::string list;
  for (const DrawingResult* r : misread)
    list += "<li>" + html_escape(r->file) + ": drawing " + std::to_string(r->index) + ", true " + std::to_string(r->label) +
            ", read " + std::to_string(r->predicted) + (r->style.empty() ? "" : ", style " + html_escape(r->style)) + "</li>\n";
  return "<h2>Misread drawings</h2><p>" + std::to_string(misread.size()) + " in all" +
         (misread.size() > max_grid_drawings ? ", the first " + std::to_string(max_grid_drawings) + " shown" : "") +
         ", as the network saw them (28x28, after preprocessing).</p><img src=\"misread.png\" alt=\"misread drawings\">\n"
         "<details><summary>Where they are</summary><ol>\n" + list + "</ol></details>\n";
}

std::string report_html(const EvalDrawingsOptions& o, const Summary& s, const std::vector<const DrawingResult*>& misread) {
  std::string files;
  for (const std::string& f : o.files) files += (files.empty() ? "<code>" : ", <code>") + html_escape(f) + "</code>";
  return html_page("lenet-train eval-drawings: " + o.model,
                   "<p>Accuracy <strong>" + percent(s.all.share()) + "</strong> (" + s.all.fraction() + ") on " + files +
                   ". Empty drawings (nothing drawn, counted as wrong): " + std::to_string(s.empty) + ".</p>\n" +
                   (s.per_style.empty() ? "" : style_table_html(s)) + "<h2>Classification report (" +
                   html_escape(classified_name(s)) + ")</h2><pre>" +
                   html_escape(format_classification_report(classification_report(s.matrix))) +
                   "</pre>\n<h2>Confusion matrix</h2><img src=\"confusion.png\" alt=\"confusion matrix heat map\">\n" +
                   misread_html(misread));
}

void write_report(const EvalDrawingsOptions& o, const Summary& s, const std::vector<DrawingResult>& results) {
  const std::filesystem::path dir = make_report_folder(o.report);
  draw_confusion_matrix(s.matrix, (dir / "confusion.png").string(), "confusion matrix (" + classified_name(s) + ")");
  std::vector<const DrawingResult*> misread;  // wrong, but not empty: there is something to look at
  for (const DrawingResult& r : results)
    if (!r.right() && !r.prediction.empty) misread.push_back(&r);
  if (!misread.empty()) {
    std::vector<GridDigit> grid;
    for (std::size_t k = 0; k < std::min(misread.size(), max_grid_drawings); ++k) grid.push_back(grid_digit(*misread[k]));
    draw_digit_grid(grid, std::min<std::size_t>(grid.size(), 10), "misread drawings", (dir / "misread.png").string());
  }
  write_text_file(dir / "index.html", report_html(o, s, misread));
}

// --number: whole numbers read against their string labels.
struct NumberResult {
  std::string file;
  std::size_t index = 0;
  std::string label, style, read;
};

// Levenshtein distance: the fewest characters inserted, deleted or replaced to turn a into b.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t replaced = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({replaced, row[j] + 1, row[j - 1] + 1});
    }
  }
  return row[b.size()];
}

std::size_t digit_count(const std::string& text) {
  return std::size_t(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

struct NumberSummary {
  Tally whole, digit_count;  // the number right; its count of digits right
  std::size_t edits = 0, characters = 0;  // edit distances and label characters, summed
  std::map<std::string, Tally> per_tag;   // whole numbers right per difficulty tag ("style", comma-separated)
  double character_accuracy() const { return characters ? 1.0 - double(edits) / double(characters) : 0.0; }
};

std::vector<NumberResult> read_number_files(Model& model, const EvalDrawingsOptions& o) {
  std::vector<std::vector<LabelledNumber>> files;
  for (const std::string& path : o.files) {
    const std::vector<std::uint8_t> bytes = read_file(path);
    files.push_back(labelled_numbers_from_json(std::string(bytes.begin(), bytes.end()), path));
    if (files.back().empty()) throw Error(path + " holds no drawings (an empty list)");
  }
  std::vector<NumberResult> results;
  for (std::size_t f = 0; f < files.size(); ++f)
    for (std::size_t i = 0; i < files[f].size(); ++i) {
      const LabelledNumber& n = files[f][i];
      results.push_back({o.files[f], i, n.label, n.style,
                         read_number(model.network, model.info.normalization, n.drawing, 1).front().text});
    }
  return results;
}

NumberSummary summarise_numbers(const std::vector<NumberResult>& results) {
  NumberSummary s;
  for (const NumberResult& r : results) {
    s.whole.add(r.read == r.label);
    s.digit_count.add(digit_count(r.read) == digit_count(r.label));
    s.edits += edit_distance(r.label, r.read);
    s.characters += r.label.size();
    for (std::size_t at = 0; at < r.style.size();) {
      const std::size_t comma = std::min(r.style.find(',', at), r.style.size());
      if (comma > at) s.per_tag[r.style.substr(at, comma - at)].add(r.read == r.label);
      at = comma + 1;
    }
  }
  return s;
}

void print_number_summary(const EvalDrawingsOptions& o, const NumberSummary& s) {
  std::printf("%s on %s: %zu numbers\n", o.model.c_str(), files_name(o.files).c_str(), s.whole.total);
  std::printf("  whole numbers right:     %8s (%s)\n", percent(s.whole.share()).c_str(), s.whole.fraction().c_str());
  std::printf("  characters right:        %8s (edit distance %zu over %zu characters)\n", percent(s.character_accuracy()).c_str(),
              s.edits, s.characters);
  std::printf("  wrong count of digits:   %8s (%zu)\n", percent(1.0 - s.digit_count.share()).c_str(),
              s.digit_count.total - s.digit_count.right);
  if (s.per_tag.empty()) return;
  std::size_t width = 0;
  for (const auto& [tag, tally] : s.per_tag) width = std::max(width, tag.size());
  std::printf("whole numbers right by tag:\n");
  for (const auto& [tag, tally] : s.per_tag)
    std::printf("  %-*s  %10s  %8s\n", int(width), tag.c_str(), tally.fraction().c_str(), percent(tally.share()).c_str());
}

nlohmann::json number_summary_json(const EvalDrawingsOptions& o, const NumberSummary& s, const std::vector<NumberResult>& results) {
  nlohmann::json per_tag = nlohmann::json::object(), wrong = nlohmann::json::array();
  for (const auto& [tag, tally] : s.per_tag) per_tag[tag] = tally_json(tally);
  for (const NumberResult& r : results)
    if (r.read != r.label) wrong.push_back({{"file", r.file}, {"drawing", r.index}, {"label", r.label}, {"read", r.read}});
  return {{"model", o.model}, {"files", o.files}, {"numbers", s.whole.total}, {"right", s.whole.right},
          {"accuracy", s.whole.share()}, {"character_accuracy", s.character_accuracy()}, {"edit_distance", s.edits},
          {"characters", s.characters}, {"wrong_digit_count", s.digit_count.total - s.digit_count.right},
          {"per_tag", per_tag}, {"wrong", wrong}};
}

void run_eval_numbers(Model& model, const EvalDrawingsOptions& o) {
  if (!o.report.empty()) throw Error("--report is not available with --number yet: it draws single digits");
  const std::vector<NumberResult> results = read_number_files(model, o);
  const NumberSummary summary = summarise_numbers(results);
  if (o.json)
    std::printf("%s\n", number_summary_json(o, summary, results).dump(2).c_str());
  else
    print_number_summary(o, summary);
}

void run_eval_drawings(const EvalDrawingsOptions& o) {
  Model model = load_model(o.model);
  if (o.number) return run_eval_numbers(model, o);
  const std::vector<DrawingResult> results = classify_files(model, o);
  const Summary summary = summarise(results, model.network.num_classes());
  if (o.json)
    std::printf("%s\n", summary_json(o, summary, results).dump(2).c_str());
  else
    print_summary(o, summary);
  if (!o.report.empty()) write_report(o, summary, results);
}

}  // namespace

void add_eval_drawings_command(CLI::App& app) {
  auto opts = std::make_shared<EvalDrawingsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval-drawings",
      "Measure a model on labelled drawings (your own pen data): the accuracy, per \"style\" too, the classification "
      "report and the confusion matrix. Each drawing is preprocessed and classified as `predict` does it");
  cmd->add_option("--model", opts->model, "Model file (.safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("files", opts->files,
                  "JSON lists of labelled drawings: [{\"width\", \"height\", \"penWidth\", \"strokes\", \"label\": a class, "
                  "\"style\": \"tag\" (optional)}, ...]")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--report", opts->report, "Also write DIR/index.html: accuracy, per-style table, confusion matrix "
                                            "and the misread drawings as the network saw them")
      ->type_name("DIR");
  cmd->add_flag("--json", opts->json, "Print a machine-readable summary instead (accuracy, per_style, confusion_matrix, wrong)");
  cmd->add_flag("--number", opts->number,
                "Each drawing is a whole number, \"label\" a string of digits and separators (\"2026\", \"5/27\"): "
                "whole numbers right, characters right (edit distance), the share with the wrong count of digits, "
                "and whole numbers right per tag of \"style\" (comma-separated)");
  cmd->callback([opts] { run_eval_drawings(*opts); });
}

}  // namespace lenet
