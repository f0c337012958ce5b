// The learning Worker's entry points into the core (core/train/finetune.hpp), built only into the
// Worker's module (lenet-learn.mjs), so that the page's own module, which the first prediction
// waits for, does not carry the training code. A fine-tuner lives behind an opaque handle that
// lenet_finetune_create() returns and lenet_finetune_free() releases; finetune_api.js wraps it
// into a Finetuner object. As in lenet_api.cpp, a call that can fail returns 0 or 1 (handle 0)
// and lenet_error() holds the core's sentence.

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include <emscripten/em_macros.h>

#include "core/train/finetune.hpp"
#include "wasm_bindings/api_state.hpp"

using lenet_api::FlatDrawings;
using lenet_api::guarded;

namespace {

// A fine-tuning session and what its last calls returned.
struct FinetuneSession {
  lenet::Finetuner finetuner;
  double loss = 0;
  std::vector<std::uint8_t> model_bytes;
};

// The options of lenet_finetune_create, in finetune_api.js's order (seed, steps, examplesPerBatch,
// replayPerBatch, learningRate, anchor); finetune_api.js has checked their ranges.
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

// Fine-tuning the loaded model on `count` labelled drawings (FlatDrawings, labels[d]) mixed with
// a replay sample given as the bytes of two IDX files (images, labels; sizes 0: no replay).
// `options` holds the FinetuneConfig fields in the order of finetune_options above; NaN keeps the
// core's default. Returns the session's handle, 0 on failure.
EMSCRIPTEN_KEEPALIVE FinetuneSession* lenet_finetune_create(
    std::uint32_t count, const std::int32_t* labels, const float* geometry, const std::uint32_t* stroke_counts,
    const std::uint32_t* point_counts, const float* points, const std::uint8_t* replay_images,
    std::size_t replay_images_size, const std::uint8_t* replay_labels, std::size_t replay_labels_size,
    const double* options) {
  FinetuneSession* session = nullptr;
  guarded([&] {
    std::vector<lenet::LabelledDrawing> examples(count);
    FlatDrawings flat{geometry, stroke_counts, point_counts, points};
    for (std::uint32_t i = 0; i < count; ++i) examples[i] = {flat.next(), labels[i], ""};
    lenet::Dataset replay;
    if (replay_images_size > 0 || replay_labels_size > 0)
      replay = lenet::dataset_from_idx(lenet::parse_idx(replay_images, replay_images_size, "replay.images"),
                                       lenet::parse_idx(replay_labels, replay_labels_size, "replay.labels"),
                                       "replay.images", "replay.labels");
    const lenet::FinetuneConfig config = finetune_options(options);
    session = new FinetuneSession{lenet::Finetuner(lenet_api::loaded_model(), lenet_api::loaded_source(), examples, std::move(replay), config),
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
