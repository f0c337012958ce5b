#include "core/train/training.hpp"

#include <algorithm>
#include <numeric>

#include "core/base/error.hpp"

namespace lenet {

namespace {

// Whether the digit redrawn from `image`'s strokes lost one of its loops (a pen too thick for a
// small loop): then it is no longer the same digit, as augment_ink's variants must not be either.
// Writing styles change loops on purpose (an open 6), so only a plain redrawing is checked.
bool fills_a_loop(const std::uint8_t* image, const Digit28& redrawn, const AugmentConfig& config) {
  if (config.loop_keeping_tries <= 0) return false;
  const std::vector<float> ink = ink_levels(image, redrawn.pixels.size());
  return count_ink_loops(redrawn.pixels.data(), digit_side, digit_side, config.loop_ink_level) <
         count_ink_loops(ink.data(), digit_side, digit_side, config.loop_ink_level);
}

// Image `index` redrawn from its strokes and then augmented, into out (ink in [0, 1]), when the
// generator picks it for redrawing; false otherwise. The choice and the strokes' own generator are
// drawn first, always, so that the rest of the image's stream does not depend on the choice.
bool redraw(const DrawnTraining* drawn, std::size_t index, int label, Rng& rng, const Dataset& data,
            const AugmentConfig& config, float* out) {
  if (drawn == nullptr) return false;
  const bool chosen = rng.uniform() < drawn->share;
  Rng strokes_rng(rng.next_u64());
  const TracedDigit& traced = drawn->traced.at(index);
  if (!chosen || traced.strokes.empty()) return false;
  const DrawnDigit d = draw_traced_digit(traced, label, drawn->config, strokes_rng);
  if (d.digit.empty || data.rows != digit_side || data.cols != digit_side) return false;
  if (d.style == Style::none && fills_a_loop(data.image(index), d.digit, config)) return false;
  augment_ink(d.digit.pixels.data(), data.rows, data.cols, config, rng, out);
  return true;
}

}  // namespace

void gather_batch(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm, Tensor& x,
                  std::vector<std::uint8_t>& labels, const BatchAugmentation* augment, std::size_t first_position) {
  const std::size_t pixels = data.rows * data.cols;
  ensure_shape(x, {n, 1, data.rows, data.cols});
  labels.resize(n);
  const float scale = 1.0f / (255.0f * norm.std), shift = norm.mean / norm.std;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* image = data.image(indices[i]);
    float* out = x.data() + i * pixels;
    labels[i] = data.labels[indices[i]];
    if (augment && augment->config) {
      Rng rng = augment_rng(augment->seed, first_position + i);
      if (!redraw(augment->drawn, indices[i], labels[i], rng, data, *augment->config, out))
        augment_image(image, data.rows, data.cols, *augment->config, rng, out);  // ink in [0, 1]
      for (std::size_t p = 0; p < pixels; ++p) out[p] = (out[p] - norm.mean) / norm.std;
    } else {
      for (std::size_t p = 0; p < pixels; ++p) out[p] = static_cast<float>(image[p]) * scale - shift;
    }
  }
}

LossResult forward_backward(Network& net, const Tensor& x, const std::uint8_t* labels, std::size_t batch_size) {
  Tensor dlogits;
  const LossResult r = softmax_cross_entropy(net.forward(x), labels, 1.0f / static_cast<float>(batch_size), &dlogits);
  net.backward(dlogits);
  return r;
}

void check_input_shape(const Network& net, const Dataset& data, const std::string& network,
                       const std::string& data_name) {
  if (net.input_shape() != Shape{1, data.rows, data.cols})
    throw Error(network + " expects " + shape_string(net.input_shape()) + " inputs but " + data_name + " has 1x" +
                std::to_string(data.rows) + "x" + std::to_string(data.cols) + " images");
}

LossResult evaluate(Network& net, const Dataset& data, std::size_t first, std::size_t count, Normalization norm,
                    std::size_t batch) {
  if (first + count > data.count) throw Error("evaluate: the range runs past the end of the data set");
  std::vector<std::size_t> indices(count);
  std::iota(indices.begin(), indices.end(), first);
  return evaluate(net, data, indices, norm, nullptr, batch);
}

LossResult evaluate(Network& net, const Dataset& data, std::span<const std::size_t> indices, Normalization norm,
                    std::uint8_t* predictions, std::size_t batch) {
  check_input_shape(net, data, "the network", "the data set");
  Tensor x;
  std::vector<std::uint8_t> labels;
  LossResult total;
  for (std::size_t b = 0; b < indices.size(); b += batch) {
    const std::size_t n = std::min(batch, indices.size() - b);
    gather_batch(data, indices.data() + b, n, norm, x, labels);
    const Tensor& logits = net.forward(x);
    total += softmax_cross_entropy(logits, labels.data(), 1.0f, nullptr);
    if (predictions) {
      const std::size_t classes = logits.shape()[1];
      for (std::size_t i = 0; i < n; ++i) {
        const float* row = logits.data() + i * classes;
        predictions[b + i] = static_cast<std::uint8_t>(std::max_element(row, row + classes) - row);
      }
    }
  }
  return total;
}

}  // namespace lenet
