#include <doctest/doctest.h>

#include <cmath>

#include "core/base/error.hpp"
#include "core/train/finetune.hpp"

using namespace lenet;

namespace {

// A small network (quick to step) with random weights, standing in for a trained model.
Model small_model() {
  Model m{Network("input(1,28,28) conv(4,5,valid) relu maxpool(4) flatten dense(10)"), {}};
  Rng rng(7);
  m.network.initialize(rng);
  m.info.recipe = "test";
  return m;
}

Drawing bar(float x) { return {280, 280, 18, {{{x, 40}, {x + 5, 140}, {x, 240}}}}; }
Drawing ring(float r) {
  Drawing d{280, 280, 18, {{}}};
  for (int i = 0; i <= 24; ++i) {
    const float a = float(i) * 6.2831853f / 24;
    d.strokes[0].push_back({140 + r * std::sin(a), 140 - 1.5f * r * std::cos(a)});
  }
  return d;
}

std::vector<LabelledDrawing> ones() { return {{bar(120), 1, ""}, {bar(150), 1, ""}, {bar(170), 1, ""}}; }

// A replay sample of `count` copies of a preprocessed ring, labelled 0.
Dataset ring_replay(std::size_t count) {
  const Digit28 digit = preprocess_drawing(ring(60));
  Dataset d;
  d.count = count, d.rows = digit_side, d.cols = digit_side;
  for (std::size_t i = 0; i < count; ++i) {
    for (float v : digit.pixels) d.images.push_back(std::uint8_t(std::lround(v * 255)));
    d.labels.push_back(0);
  }
  return d;
}

FinetuneConfig quick(std::uint64_t seed = 3) {
  FinetuneConfig c;
  c.steps = 12, c.examples_per_batch = 4, c.replay_per_batch = 4, c.learning_rate = 3e-3f, c.seed = seed;
  return c;
}

std::vector<float> weights(const Network& net) {
  std::vector<float> all;
  for (const Parameter* p : net.parameters()) all.insert(all.end(), p->value.begin(), p->value.end());
  return all;
}

double distance(const Network& a, const Network& b) {
  const std::vector<float> x = weights(a), y = weights(b);
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += double(x[i] - y[i]) * double(x[i] - y[i]);
  return std::sqrt(sum);
}

void run(Finetuner& f) {
  while (!f.done()) f.step();
}

// 1 if the network reads the ring (as the replay holds it) as `label`, else 0.
std::size_t reads_ring_as(Network& net, int label) {
  const Dataset ring = ring_replay(1);
  Tensor x;
  ensure_shape(x, {1, 1, digit_side, digit_side});
  for (std::size_t p = 0; p < ring.images.size(); ++p) x.data()[p] = float(ring.images[p]) / 255.0f;
  const Tensor& logits = net.forward(x);
  std::size_t best = 0;
  for (std::size_t c = 1; c < 10; ++c)
    if (logits.data()[c] > logits.data()[best]) best = c;
  return best == std::size_t(label) ? 1 : 0;
}

std::string error_of(const std::vector<LabelledDrawing>& examples, Dataset replay = ring_replay(4)) {
  try {
    Finetuner f(small_model(), "base", examples, std::move(replay), quick());
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("fine-tuning is seeded: the same seed gives the same model, another seed another") {
  Finetuner a(small_model(), "base", ones(), ring_replay(8), quick(3));
  Finetuner b(small_model(), "base", ones(), ring_replay(8), quick(3));
  Finetuner c(small_model(), "base", ones(), ring_replay(8), quick(4));
  run(a), run(b), run(c);
  CHECK(a.model_bytes() == b.model_bytes());
  CHECK(a.model_bytes() != c.model_bytes());
}

TEST_CASE("fine-tuning steps one at a time and the loss goes down") {
  FinetuneConfig config = quick();
  config.steps = 30;
  Finetuner f(small_model(), "base", ones(), ring_replay(8), config);
  CHECK(f.steps() == 30);
  double first = 0, last = 0;
  for (std::size_t s = 1; s <= 30; ++s) {
    const double loss = f.step();
    CHECK(f.steps_done() == s);
    CHECK(std::isfinite(loss));
    if (s <= 3) first += loss;
    if (s > 27) last += loss;
  }
  CHECK(f.done());
  CHECK(last < 0.5 * first);
  const std::vector<std::uint8_t> before = f.model_bytes();
  f.step();  // past the end: nothing changes
  CHECK(f.steps_done() == 30);
  CHECK(f.model_bytes() == before);
}

TEST_CASE("the replay keeps what the examples do not teach: without it, rings become 1s") {
  // The examples are all 1s; the replay is all rings labelled 0.
  Finetuner with(small_model(), "base", ones(), ring_replay(8), quick());
  Finetuner without(small_model(), "base", ones(), Dataset{}, quick());
  run(with), run(without);
  Network a = with.network(), b = without.network();
  CHECK(reads_ring_as(a, 0) == 1);
  CHECK(reads_ring_as(b, 1) == 1);
  CHECK(without.info().extra.at("finetune_replay") == "0");
  CHECK(without.info().extra.at("finetune_batch") == "4+0");
}

TEST_CASE("the L2-SP penalty keeps the weights near the model they started from") {
  FinetuneConfig anchored = quick();
  anchored.anchor = 100.0f;
  const Model base = small_model();
  Finetuner free(base, "base", ones(), ring_replay(8), quick());
  Finetuner held(base, "base", ones(), ring_replay(8), anchored);
  run(free), run(held);
  CHECK(distance(held.network(), base.network) < 0.5 * distance(free.network(), base.network));
}

TEST_CASE("the personal model says what it was fine-tuned from and loads like any model") {
  std::vector<LabelledDrawing> examples = ones();
  examples.push_back({ring(50), 0, ""});
  Finetuner f(small_model(), "models/base.safetensors", examples, ring_replay(8), quick(11));
  run(f);
  const std::vector<std::uint8_t> bytes = f.model_bytes();
  const Model back = load_model_from_bytes(bytes.data(), bytes.size(), "personal");
  CHECK(back.info.weights_dtype == Dtype::f32);
  CHECK(back.info.recipe == "finetune");
  CHECK(back.info.extra.at("finetuned_from") == "models/base.safetensors");
  CHECK(back.info.extra.at("finetuned_from_recipe") == "test");
  CHECK(back.info.extra.at("finetune_examples") == "4");
  CHECK(back.info.extra.at("finetune_examples_per_digit") == "0:1 1:3");
  CHECK(back.info.extra.at("finetune_seed") == "11");
  CHECK(back.info.extra.at("finetune_steps") == "12");
  CHECK(weights(back.network) == weights(f.network()));
}

TEST_CASE("bad examples and replay samples are refused with one sentence naming them") {
  std::vector<LabelledDrawing> bad_label = ones();
  bad_label[2].label = 12;
  CHECK(error_of(bad_label) == "example 2: label 12 is not a digit 0-9");
  std::vector<LabelledDrawing> bad_point = ones();
  bad_point[1].drawing.strokes[0][2].x = std::nanf("");
  CHECK(error_of(bad_point) == "example 1: stroke 0, point 2 is not a pair of finite numbers");
  std::vector<LabelledDrawing> empty = ones();
  empty[0].drawing.strokes.clear();
  CHECK(error_of(empty) == "example 0 has no ink (an empty drawing)");
  CHECK(error_of({}) == "there are no examples to learn from");
  Dataset small = ring_replay(2);
  small.rows = 14, small.cols = 56;
  CHECK(error_of(ones(), small) == "the replay sample holds 14x56 images, not 28x28 digits");
  // The CLI names the file's drawings its own way.
  std::vector<LabelledDrawing> negative = ones();
  negative[1].label = -1;
  try {
    Finetuner f(small_model(), "base", negative, Dataset{}, quick(), "mine.json: drawing");
    FAIL("a negative label was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "mine.json: drawing 1: label -1 is not a digit 0-9");
  }
}

TEST_CASE("the replay sample is the first images of the training set, in order") {
  Dataset train = ring_replay(5);
  for (std::size_t i = 0; i < 5; ++i) train.labels[i] = std::uint8_t(i);
  train.images[4 * 784 + 300] = 77;
  const Dataset sample = replay_sample(train, 3);
  CHECK(sample.count == 3);
  CHECK(sample.labels == std::vector<std::uint8_t>{0, 1, 2});
  CHECK(sample.images.size() == 3 * 784);
  CHECK(replay_sample(train, 99).count == 5);
  CHECK(replay_sample(train).count == 5);
}
