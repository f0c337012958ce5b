// The page's entry points into the core: plain C exports (smaller than embind, and the page needs
// only a handful of calls). lenet_api.js wraps them into loadModel() and classify().
// No model logic here: parsing, preprocessing and inference are the core's.
//
// A fine-tuner (core/finetune.hpp) lives behind an opaque handle that lenet_finetune_create()
// returns and lenet_finetune_free() releases; lenet_api.js wraps it into a Finetuner object.
//
// Every call that can fail returns 0 on success and 1 on failure; lenet_error() then holds the
// core's one-sentence message. Results stay valid until the next call.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <emscripten/em_macros.h>

#include "core/error.hpp"
#include "core/finetune.hpp"
#include "core/inference.hpp"
#include "core/model_io.hpp"

namespace {

std::optional<lenet::Model> current_model;
std::string current_source;  // the name loadModel was given: a personal model says what it came from
std::string last_error;
std::vector<std::pair<std::string, std::string>> model_facts;  // name, value
lenet::Prediction last_prediction;
double last_milliseconds = 0;

// Runs `action`, turning any exception into last_error: nothing may escape into JavaScript.
template <class Action>
int guarded(Action&& action) {
  try {
    action();
    return 0;
  } catch (const lenet::Error& e) {
    last_error = e.what();
  } catch (const std::bad_alloc&) {
    last_error = "out of memory";
  } catch (const std::exception& e) {
    last_error = std::string("internal error: ") + e.what();
  }
  return 1;
}

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

// Runs the loaded model on the digit that make_digit() prepares, timing both, into
// last_prediction and last_milliseconds.
template <class MakeDigit>
int classify_timed(MakeDigit&& make_digit) {
  return guarded([&] {
    if (!current_model) throw lenet::Error("no model is loaded yet");
    const auto start = std::chrono::steady_clock::now();
    const lenet::Digit28 digit = make_digit();
    last_prediction = lenet::classify_digit(current_model->network, current_model->info.normalization, digit);
    last_milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  });
}

// Drawings as flat arrays (how lenet_api.js hands them over): drawing d has geometry[3d..3d+2] =
// width, height, pen width and stroke_counts[d] strokes; stroke s has point_counts[s] points,
// all x, y pairs one after the other in `points`. Canvas pixels, y down (core/drawing.hpp).
struct FlatDrawings {
  const float* geometry;
  const std::uint32_t* stroke_counts;
  const std::uint32_t* point_counts;
  const float* points;

  lenet::Drawing next() {
    lenet::Drawing drawing{geometry[0], geometry[1], geometry[2], {}};
    geometry += 3;
    drawing.strokes.resize(*stroke_counts++);
    for (auto& stroke : drawing.strokes) {
      stroke.resize(*point_counts++);
      for (auto& p : stroke) {
        p = {points[0], points[1]};
        points += 2;
      }
    }
    return drawing;
  }
};

// A fine-tuning session and what its last calls returned.
struct FinetuneSession {
  lenet::Finetuner finetuner;
  double loss = 0;
  std::vector<std::uint8_t> model_bytes;
};

// The options of lenet_finetune_create, in lenet_api.js's order (seed, steps, examplesPerBatch,
// replayPerBatch, learningRate, anchor); lenet_api.js has checked their ranges.
lenet::FinetuneConfig finetune_options(const double* options) {
  lenet::FinetuneConfig c;
  const auto set = [&](std::size_t i, auto& field) {
    if (options[i] == options[i]) field = static_cast<std::remove_reference_t<decltype(field)>>(options[i]);
  };
  set(0, c.seed);
  set(1, c.steps);
  set(2, c.examples_per_batch);
  set(3, c.replay_per_batch);
  set(4, c.learning_rate);
  set(5, c.anchor);
  return c;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* lenet_error() { return last_error.c_str(); }

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
    const float geometry[3] = {width, height, pen_width};
    const lenet::Drawing drawing = FlatDrawings{geometry, &stroke_count, stroke_points, points}.next();
    lenet::check_drawing(drawing);
    return lenet::preprocess_drawing(drawing);
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
  });
}

EMSCRIPTEN_KEEPALIVE int lenet_result_empty() { return last_prediction.empty ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_result_classes() { return last_prediction.probabilities.size(); }
EMSCRIPTEN_KEEPALIVE const float* lenet_result_probabilities() { return last_prediction.probabilities.data(); }
// The 28x28 digit the network saw, ink in [0, 1], row-major, before the model's normalisation.
EMSCRIPTEN_KEEPALIVE const float* lenet_result_input() { return last_prediction.input.pixels.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_result_input_side() { return lenet::digit_side; }
// Preprocessing plus inference, as measured inside the module.
EMSCRIPTEN_KEEPALIVE double lenet_result_milliseconds() { return last_milliseconds; }

// Fine-tuning the loaded model on `count` labelled drawings (FlatDrawings, labels[d]) mixed with
// a replay sample given as the bytes of two IDX files (images, labels; sizes 0: no replay).
// `options` holds the FinetuneConfig fields in the order of finetune_options below; NaN keeps the
// core's default. Returns the session's handle, 0 on failure.
EMSCRIPTEN_KEEPALIVE FinetuneSession* lenet_finetune_create(
    std::uint32_t count, const std::int32_t* labels, const float* geometry, const std::uint32_t* stroke_counts,
    const std::uint32_t* point_counts, const float* points, const std::uint8_t* replay_images,
    std::size_t replay_images_size, const std::uint8_t* replay_labels, std::size_t replay_labels_size,
    const double* options) {
  FinetuneSession* session = nullptr;
  guarded([&] {
    if (!current_model) throw lenet::Error("no model is loaded yet");
    std::vector<lenet::LabelledDrawing> examples(count);
    FlatDrawings flat{geometry, stroke_counts, point_counts, points};
    for (std::uint32_t i = 0; i < count; ++i) examples[i] = {flat.next(), labels[i], ""};
    lenet::Dataset replay;
    if (replay_images_size > 0 || replay_labels_size > 0)
      replay = lenet::dataset_from_idx(lenet::parse_idx(replay_images, replay_images_size, "replay.images"),
                                       lenet::parse_idx(replay_labels, replay_labels_size, "replay.labels"),
                                       "replay.images", "replay.labels");
    const lenet::FinetuneConfig config = finetune_options(options);
    session = new FinetuneSession{lenet::Finetuner(*current_model, current_source, examples, std::move(replay), config),
                                  0.0, {}};
  });
  return session;
}

EMSCRIPTEN_KEEPALIVE void lenet_finetune_free(FinetuneSession* session) { delete session; }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_finetune_steps(const FinetuneSession* s) { return s->finetuner.steps(); }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_finetune_steps_done(const FinetuneSession* s) { return s->finetuner.steps_done(); }

// One optimisation step; its loss is lenet_finetune_loss() afterwards.
EMSCRIPTEN_KEEPALIVE int lenet_finetune_step(FinetuneSession* s) {
  return guarded([&] { s->loss = s->finetuner.step(); });
}
EMSCRIPTEN_KEEPALIVE double lenet_finetune_loss(const FinetuneSession* s) { return s->loss; }

// The fine-tuned model as a .safetensors file: lenet_finetune_model_data() holds
// lenet_finetune_model_size() bytes, valid until the next call on this session.
EMSCRIPTEN_KEEPALIVE int lenet_finetune_model(FinetuneSession* s) {
  return guarded([&] { s->model_bytes = s->finetuner.model_bytes(); });
}
EMSCRIPTEN_KEEPALIVE const std::uint8_t* lenet_finetune_model_data(const FinetuneSession* s) { return s->model_bytes.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t lenet_finetune_model_size(const FinetuneSession* s) { return s->model_bytes.size(); }

}  // extern "C"
