// lenet-train predict: classify image files and drawing JSON files with the core's preprocessing,
// the very code the page runs; with --number, read each drawing as a whole number (core's number reader).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>
#include <stb/stb_image.h>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/read/inference.hpp"
#include "core/read/number_reader.hpp"
#include "native_trainer/run/data_files.hpp"

namespace lenet {

namespace {

struct PredictOptions {
  std::string model;
  std::vector<std::string> inputs;
  bool json = false;
  bool number = false;
};

bool is_drawing_json(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

// Grey + alpha pixels as an opaque grey image. A paint program's usual export is ink on a
// transparent background whose hidden colour is often the ink's own (black on "transparent
// black"): the ink's colour decides the paper, so the digit stands out from it whatever its shade.
std::vector<std::uint8_t> opaque_grey(const std::uint8_t* grey_alpha, std::size_t pixels) {
  double ink_weight = 0, ink_sum = 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    ink_weight += grey_alpha[2 * i + 1];
    ink_sum += double(grey_alpha[2 * i]) * grey_alpha[2 * i + 1];
  }
  const bool ink_is_dark = ink_weight == 0 || ink_sum / ink_weight < 128;
  const double paper = ink_is_dark ? 255 : 0;
  std::vector<std::uint8_t> out(pixels);
  for (std::size_t i = 0; i < pixels; ++i) {
    const double alpha = grey_alpha[2 * i + 1] / 255.0;
    out[i] = static_cast<std::uint8_t>(std::lround(grey_alpha[2 * i] * alpha + paper * (1 - alpha)));
  }
  return out;
}

// The page's default model: the first entry of web/models/models.json in this checkout.
std::string page_default_model() {
  const std::string list = find_in_checkout("web/models/models.json");
  if (list.empty())
    throw Error("no --model given, and the page's models (web/models/models.json) were not found from here; "
                "give --model FILE");
  try {
    const std::vector<std::uint8_t> bytes = read_file(list);
    const nlohmann::json models = nlohmann::json::parse(bytes.begin(), bytes.end());
    return (std::filesystem::path(list).parent_path() / models.at("models").at(0).at("file").get<std::string>()).string();
  } catch (const nlohmann::json::exception& e) {
    throw Error(list + ": cannot find the default model in it (" + e.what() + "); give --model FILE");
  }
}

// One drawing file may hold several drawings: each gets a result labelled "file#i".
std::vector<std::pair<std::string, Drawing>> load_drawings(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  const std::vector<Drawing> drawings = drawings_from_json(std::string(bytes.begin(), bytes.end()), path);
  if (drawings.empty()) throw Error(path + " holds no drawings (an empty list)");
  std::vector<std::pair<std::string, Drawing>> out;
  for (std::size_t i = 0; i < drawings.size(); ++i)
    out.emplace_back(drawings.size() == 1 ? path : path + "#" + std::to_string(i + 1), drawings[i]);
  return out;
}

std::vector<std::pair<std::string, Digit28>> load_digits(const std::string& path) {
  std::vector<std::pair<std::string, Digit28>> out;
  if (is_drawing_json(path)) {
    for (const auto& [name, drawing] : load_drawings(path)) out.emplace_back(name, preprocess_drawing(drawing));
    return out;
  }
  int w = 0, h = 0, channels = 0;
  // Grey plus alpha: an image with transparency is composited first (see opaque_grey).
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &w, &h, &channels, 2), stbi_image_free);
  if (!pixels)
    throw Error(path + ": cannot read it as an image (" + stbi_failure_reason() +
                "); predict takes PNG, JPEG, PGM/PPM, BMP or GIF images and drawing .json files");
  const std::vector<std::uint8_t> grey = opaque_grey(pixels.get(), std::size_t(w) * std::size_t(h));
  out.emplace_back(path, preprocess_image_u8(grey.data(), std::size_t(w), std::size_t(h)));
  return out;
}

nlohmann::json character_json(const ReadCharacter& c) {
  nlohmann::json runner_up = nullptr;
  if (c.runner_up != '?') runner_up = {{"char", std::string(1, c.runner_up)}, {"probability", c.runner_up_probability}};
  return {{"char", std::string(1, c.character)}, {"probability", c.probability}, {"runner_up", runner_up}, {"strokes", c.strokes}};
}

nlohmann::json number_json(const std::string& name, const std::vector<NumberReading>& readings) {
  const NumberReading& best = readings.front();
  nlohmann::json characters = nlohmann::json::array(), alternatives = nlohmann::json::array();
  for (const ReadCharacter& c : best.characters) characters.push_back(character_json(c));
  for (std::size_t k = 1; k < readings.size(); ++k)
    alternatives.push_back({{"number", readings[k].text}, {"score", readings[k].score}});
  return {{"input", name}, {"empty", best.text.empty()}, {"number", best.text}, {"score", best.score},
          {"characters", characters}, {"alternatives", alternatives}};
}

// "name: 2026  2 0.99  0 0.97 (or 6 0.02)  ...; also 2028, 2026-" on one line.
void print_number(const std::string& name, const std::vector<NumberReading>& readings) {
  const NumberReading& best = readings.front();
  if (best.text.empty()) {
    std::printf("%s: empty (nothing drawn), not read\n", name.c_str());
    return;
  }
  std::printf("%s: %s ", name.c_str(), best.text.c_str());
  for (const ReadCharacter& c : best.characters) {
    std::printf(" %c %.2f", c.character, c.probability);
    if (c.runner_up != '?') std::printf(" (or %c %.2f)", c.runner_up, c.runner_up_probability);
  }
  for (std::size_t k = 1; k < readings.size(); ++k) std::printf("%s%s", k == 1 ? "; also " : ", ", readings[k].text.c_str());
  std::printf("\n");
}

void run_predict_numbers(Model& model, const PredictOptions& o) {
  for (const std::string& input : o.inputs)
    if (!is_drawing_json(input))
      throw Error(input + ": --number reads drawing .json files (strokes), not images");
  nlohmann::json results = nlohmann::json::array();
  for (const std::string& input : o.inputs)
    for (const auto& [name, drawing] : load_drawings(input)) {
      const std::vector<NumberReading> readings = read_number(model.network, model.info.normalization, drawing);
      if (o.json)
        results.push_back(number_json(name, readings));
      else
        print_number(name, readings);
    }
  if (o.json) std::printf("%s\n", results.dump(2).c_str());
}

void run_predict(const PredictOptions& o) {
  Model model = load_model(o.model.empty() ? page_default_model() : o.model);
  if (o.number) return run_predict_numbers(model, o);
  nlohmann::json results = nlohmann::json::array();
  for (const std::string& input : o.inputs)
    for (const auto& [name, digit] : load_digits(input)) {
      const Prediction p = classify_digit(model.network, model.info.normalization, digit);
      nlohmann::json r = {{"input", name}, {"empty", p.empty}};
      if (p.empty) {
        if (!o.json) std::printf("%s: empty (nothing drawn), not classified\n", name.c_str());
      } else {
        const auto top = top_classes(p.probabilities, 3);
        r["prediction"] = top[0];
        r["probabilities"] = p.probabilities;
        r["top3"] = nlohmann::json::array();
        for (std::size_t c : top) r["top3"].push_back({{"class", c}, {"probability", p.probabilities[c]}});
        r["plausible"] = p.plausible;  // false: the page says "That does not look like a digit"
        if (!o.json && !p.plausible) {
          std::printf("%s: That does not look like a digit (the network's reading:", name.c_str());
          for (std::size_t c : top) std::printf("  %zu: %.4f", c, p.probabilities[c]);
          std::printf(")\n");
        } else if (!o.json) {
          std::printf("%s: %zu", name.c_str(), top[0]);
          for (std::size_t c : top) std::printf("  %zu: %.4f", c, p.probabilities[c]);
          std::printf("\n");
        }
      }
      results.push_back(r);
    }
  if (o.json) std::printf("%s\n", results.dump(2).c_str());
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto opts = std::make_shared<PredictOptions>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Classify images (PNG, JPEG, PGM; white-on-black or black-on-white) and drawing JSON files "
                 "({\"width\", \"height\", \"penWidth\", \"strokes\": [[[x, y], ...], ...]}, or a list of them)");
  cmd->add_option("--model", opts->model, "Model file (.safetensors); default: the page's default model (the first in "
                                          "web/models/models.json of this checkout)")->check(CLI::ExistingFile);
  cmd->add_option("inputs", opts->inputs, "Image or drawing .json files")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", opts->json, "Print machine-readable JSON (all ten probabilities) instead of the top 3");
  cmd->add_flag("--number", opts->number,
                "Read each drawing as a whole number (\"2026\", \"5/27\", \"679-1238\"): every character with its "
                "probability, its runner-up and its strokes, and the next best readings");
  cmd->callback([opts] { run_predict(*opts); });
}

}  // namespace lenet
