// The page's entry points into the core: plain C exports (smaller than embind, and the page needs
// only a handful of calls). lenet_api.js wraps them into loadModel() and classify().
// No model logic here: parsing, preprocessing and inference are the core's.
//
// Every call that can fail returns 0 on success and 1 on failure; lenet_error() then holds the
// core's one-sentence message. Results stay valid until the next call.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <emscripten/em_macros.h>

#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"
#include "core/ink/preprocess.hpp"
#include "core/read/feature_maps.hpp"
#include "core/read/inference.hpp"
#include "wasm_bindings/api_state.hpp"

using lenet_api::FlatDrawings;
using lenet_api::guarded;
using lenet_api::last_error;

namespace {

std::optional<lenet::Model> current_model;
std::string current_source;  // the name loadModel was given: a personal model says what it came from
std::string error_text;
std::vector<std::pair<std::string, std::string>> model_facts;  // name, value
lenet::Prediction last_prediction;
bool classified = false;  // whether last_prediction holds a classification yet
double last_milliseconds = 0;
std::vector<lenet::FeatureMap> feature_map_list;  // lenet_feature_maps()'s, until its next call

// What the page shows about a model, as name/value text pairs; lenet_api.js turns them into an
// object. (Text pairs rather than a JSON document: a JSON serializer would add about 6 KB gzip.)
std::vector<std::pair<std::string, std::string>> describe(const lenet::Model& model) {
  const lenet::ModelInfo& info = model.info;
  std::vector<std::pair<std::string, std::string>> facts = {
      {"arch", model.network.spec()},
      {"parameters", std::to_string(model.network.parameter_count())},
      {"weightsDtype", lenet::dtype_name(info.weights_dtype)},
      {"classes", std::to_string(model.network.num_classes())},
      {"inputShape", lenet::shape_string(model.network.input_shape())},
      {"normalizationMean", std::to_string(info.normalization.mean)},
      {"normalizationStd", std::to_string(info.normalization.std)},
      {"recipe", info.recipe},
      {"dataset", info.dataset},
      {"testAccuracy", info.test_accuracy},
      {"trainerVersion", info.trainer_version},
  };
  for (const auto& [key, value] : info.extra) facts.emplace_back("extra." + key, value);
  return facts;
}

// One drawing as FlatDrawings holds it (see lenet_classify), which the core's check_drawing accepts.
lenet::Drawing checked_drawing(float width, float height, float pen_width, const float* points,
                               const std::uint32_t* stroke_points, std::uint32_t stroke_count) {
  const float geometry[3] = {width, height, pen_width};
  lenet::Drawing drawing = FlatDrawings{geometry, &stroke_count, stroke_points, points}.next();
  lenet::check_drawing(drawing);
  return drawing;
}

// Runs the loaded model on the digit that make_digit() prepares, timing both, into
// last_prediction and last_milliseconds.
template <class MakeDigit>
int classify_timed(MakeDigit&& make_digit, lenet::Judge judge = lenet::Judge::plausibility) {
  return guarded([&] {
    if (!current_model) throw lenet::Error("no model is loaded yet");
    const auto start = std::chrono::steady_clock::now();
    const lenet::Digit28 digit = make_digit();
    last_prediction = lenet::classify_digit(current_model->network, current_model->info.normalization, digit, judge);
    classified = true;
    last_milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  });
}

}  // namespace

const lenet::Model& lenet_api::loaded_model() {
  if (!current_model) throw lenet::Error("no model is loaded yet");
  return *current_model;
}
const std::string& lenet_api::loaded_source() { return current_source; }
std::string& lenet_api::last_error() { return error_text; }

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* lenet_error() { return last_error().c_str(); }

// `source` names the file in error messages. On failure the previous model stays loaded.
EMSCRIPTEN_KEEPALIVE int lenet_load_model(const std::uint8_t* bytes, std::size_t size, const char* source) {
  return guarded([&] {
    lenet::Model model = lenet::load_model_from_bytes(bytes, size, source);
    model_facts = describe(model);
    current_model = std::move(model);
    current_source = source;
  });
}

// The loaded model's facts (see describe()): fact i is lenet_model_fact_name(i) = ..._value(i).
EMSCRIPTEN_KEEPALIVE std::size_t lenet_model_fact_count() { return model_facts.size(); }
EMSCRIPTEN_KEEPALIVE const char* lenet_model_fact_name(std::size_t i) { return model_facts.at(i).first.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* lenet_model_fact_value(std::size_t i) { return model_facts.at(i).second.c_str(); }

// One drawing as FlatDrawings holds it: `points` holds x, y pairs of all strokes one after the
// other, and stroke_points[s] the number of points of stroke s.
EMSCRIPTEN_KEEPALIVE int lenet_classify(float width, float height, float pen_width, const float* points,
                                        const std::uint32_t* stroke_points, std::uint32_t stroke_count) {
  return classify_timed([&] {
    return lenet::preprocess_drawing(checked_drawing(width, height, pen_width, points, stroke_points, stroke_count));
  });
}

// Whether the core would learn from the drawing (the arguments of lenet_classify): check_drawing
// accepts it and it has ink, which fine-tuning needs of every example. 0 when it would; 1 and
// lenet_error() saying why not. The drawing comes flat, as to lenet_classify, not as JSON text:
// the core's JSON drawing reader would add 18 KB to the module the first prediction waits for.
EMSCRIPTEN_KEEPALIVE int lenet_check_drawing(float width, float height, float pen_width, const float* points,
                                             const std::uint32_t* stroke_points, std::uint32_t stroke_count) {
  return guarded([&] {
    if (lenet::preprocess_drawing(checked_drawing(width, height, pen_width, points, stroke_points, stroke_count)).empty)
      throw lenet::Error("drawing: it has no ink");
  });
}

// A digit that is already 28x28 (ink in [0, 1], row-major, as lenet_result_input() gives it):
// the network alone, without the drawing's rasterisation and centring. The benchmark compares
// this with other runtimes, which are timed on 28x28 inputs too.
EMSCRIPTEN_KEEPALIVE int lenet_classify_pixels(const float* pixels) {
  return classify_timed([&] {
    lenet::Digit28 digit;
    std::copy(pixels, pixels + digit.pixels.size(), digit.pixels.begin());
    digit.empty = false;
    return digit;
  }, lenet::Judge::network_alone);
}

EMSCRIPTEN_KEEPALIVE int lenet_result_empty() { return last_prediction.empty ? 1 : 0; }
// 0 when the drawing does not look like a digit (core/read/plausibility.hpp); always 1 after
// lenet_classify_pixels, which runs the network alone.
EMSCRIPTEN_KEEPALIVE int lenet_result_plausible() { return last_prediction.plausible ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_result_classes() { return last_prediction.probabilities.size(); }
EMSCRIPTEN_KEEPALIVE const float* lenet_result_probabilities() { return last_prediction.probabilities.data(); }
// The 28x28 digit the network saw, ink in [0, 1], row-major, before the model's normalisation.
EMSCRIPTEN_KEEPALIVE const float* lenet_result_input() { return last_prediction.input.pixels.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_result_input_side() { return lenet::digit_side; }
// Preprocessing plus inference, as measured inside the module.
EMSCRIPTEN_KEEPALIVE double lenet_result_milliseconds() { return last_milliseconds; }

// "What each layer sees" for the last classified digit (core/read/feature_maps.hpp): one more forward
// pass, only when the page asks. An empty drawing gives no maps. Map i is named
// lenet_feature_map_name(i), lenet_feature_map_kind(i), shaped lenet_feature_map_dim(i, 0..2)
// = channels, height, width, with its values at lenet_feature_map_data(i).
EMSCRIPTEN_KEEPALIVE int lenet_feature_maps() {
  return guarded([&] {
    feature_map_list.clear();
    const lenet::Model& model = lenet_api::loaded_model();
    if (!classified) throw lenet::Error("there are no feature maps before a drawing has been classified");
    feature_map_list = lenet::feature_maps(current_model->network, model.info.normalization, last_prediction.input);
  });
}
EMSCRIPTEN_KEEPALIVE std::size_t lenet_feature_map_count() { return feature_map_list.size(); }
EMSCRIPTEN_KEEPALIVE const char* lenet_feature_map_name(std::size_t i) { return feature_map_list.at(i).name.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* lenet_feature_map_kind(std::size_t i) { return feature_map_list.at(i).kind.c_str(); }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_feature_map_dim(std::size_t i, std::size_t axis) {
  return feature_map_list.at(i).shape.at(axis);
}
EMSCRIPTEN_KEEPALIVE const float* lenet_feature_map_data(std::size_t i) { return feature_map_list.at(i).values.data(); }

}  // extern "C"
