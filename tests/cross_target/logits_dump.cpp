// Prints the logits of every preset for fixed seeded weights and inputs, one number per line.
// Built natively and to wasm; check_logits.mjs runs both and holds them to each other.
// The weights come from the platform-independent Rng (Glorot uniform needs only sqrt, which is
// exactly rounded everywhere), so both builds start from bit-identical parameters and inputs.

#include <cstdio>

#include "core/nn/network.hpp"

int main() {
  for (const auto& [name, spec] : lenet::arch_presets()) {
    lenet::Rng rng(2024);
    lenet::Network net(spec);
    net.initialize(rng);
    for (lenet::Parameter* p : net.parameters())  // non-zero biases, so they are exercised too
      if (p->name.ends_with(".bias"))
        for (auto& v : p->value) v = rng.uniform(-0.2f, 0.2f);
    lenet::Tensor x = lenet::Tensor::from_shape(lenet::batch_shape(5, net.input_shape()));
    for (auto& v : x) v = rng.uniform();
    const lenet::Tensor& logits = net.forward(x);
    for (std::size_t i = 0; i < logits.size(); ++i) std::printf("%s %zu %.9e\n", name.c_str(), i, logits.data()[i]);
  }
  return 0;
}
