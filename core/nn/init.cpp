#include "core/nn/init.hpp"

#include <cmath>

#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace lenet {

namespace {

constexpr Init all_inits[] = {Init::glorot_uniform, Init::glorot_uniform_early_keras, Init::he_uniform, Init::he_normal,
                              Init::truncated_normal};

// A standard normal draw, redrawn beyond two standard deviations (Keras' and TensorFlow's truncation).
float truncated_standard_normal(Rng& rng) {
  float z;
  do z = rng.normal(); while (std::fabs(z) > 2.0f);
  return z;
}

}  // namespace

const char* init_name(Init init) {
  switch (init) {
    case Init::glorot_uniform: return "glorot-uniform";
    case Init::glorot_uniform_early_keras: return "glorot-uniform-early-keras";
    case Init::he_uniform: return "he-uniform";
    case Init::he_normal: return "he-normal";
    case Init::truncated_normal: return "truncated-normal";
  }
  return "";
}

std::vector<std::string> init_names() {
  std::vector<std::string> names;
  for (Init init : all_inits) names.emplace_back(init_name(init));
  return names;
}

Init init_from_name(const std::string& name) {
  for (Init init : all_inits)
    if (name == init_name(init)) return init;
  throw Error("unknown initialiser '" + name + "'; initialisers are " + join_names(init_names()));
}

void initialize_weights(Tensor& weight, std::size_t inputs, std::size_t outputs, std::size_t receptive_field, Init init,
                        Rng& rng) {
  float* w = weight.data();
  const std::size_t n = weight.size();
  const std::size_t fan_in = inputs * receptive_field;
  const std::size_t fan_out = init == Init::glorot_uniform_early_keras ? outputs : outputs * receptive_field;
  switch (init) {
    case Init::glorot_uniform:
    case Init::glorot_uniform_early_keras: {
      const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
      for (std::size_t i = 0; i < n; ++i) w[i] = rng.uniform(-limit, limit);
      break;
    }
    case Init::he_uniform: {
      const float limit = std::sqrt(6.0f / static_cast<float>(fan_in));
      for (std::size_t i = 0; i < n; ++i) w[i] = rng.uniform(-limit, limit);
      break;
    }
    case Init::he_normal: {
      // Keras: truncated normal (redrawn beyond 2 sigma), std corrected for the truncation.
      const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in)) / 0.87962566103423978f;
      for (std::size_t i = 0; i < n; ++i) w[i] = truncated_standard_normal(rng) * stddev;
      break;
    }
    case Init::truncated_normal:  // tf.truncated_normal(shape, stddev=0.1): no fan scaling, no correction
      for (std::size_t i = 0; i < n; ++i) w[i] = truncated_standard_normal(rng) * 0.1f;
      break;
  }
}

}  // namespace lenet
