#include "init.hpp"

#include <cmath>

namespace lenet {

void initialize_weights(Tensor& weight, std::size_t fan_in, std::size_t fan_out, Init init, Rng& rng) {
  float* w = weight.data();
  const std::size_t n = weight.size();
  switch (init) {
    case Init::glorot_uniform: {
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
      for (std::size_t i = 0; i < n; ++i) {
        float z;
        do z = rng.normal(); while (std::fabs(z) > 2.0f);
        w[i] = z * stddev;
      }
      break;
    }
  }
}

}  // namespace lenet
