#pragma once
// One seeded generator per run. Own implementation (xoshiro256** seeded by splitmix64) and own
// float/normal conversions, because std:: distributions differ between libstdc++ (native) and
// libc++ (Emscripten): the same seed must give the same numbers on every target.

#include <array>
#include <cstdint>
#include <span>
#include <utility>

namespace lenet {

// splitmix64's finaliser: a bijection of 64-bit words that scatters nearby inputs (seeds derived
// from counters) over the whole range.
std::uint64_t mix64(std::uint64_t z);

class Rng {
 public:
  using State = std::array<std::uint64_t, 4>;

  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next_u64();
  // Uniform float in [0, 1), 24 random bits.
  float uniform();
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal (Box-Muller, one value per call so the state alone describes the stream).
  float normal();
  // Unbiased integer in [0, n), n > 0.
  std::uint64_t below(std::uint64_t n);

  // For checkpoints: a resumed run continues the very same stream.
  const State& state() const { return s_; }
  void set_state(const State& s) { s_ = s; }

 private:
  State s_;
};

// Fisher-Yates: every order of `items` equally likely, drawing n - 1 numbers from `rng`.
template <class T>
void shuffle(std::span<T> items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
}

}  // namespace lenet
