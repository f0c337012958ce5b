// libFuzzer harness: an architecture spec as --arch takes it and a model file's metadata carries it.
// Anything but a lenet::Error is a finding. Properties: the canonical text parses to the same
// spec; a network that builds stays within the bounds, and a small one runs a forward pass.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/base/error.hpp"
#include "core/nn/network.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const lenet::ArchSpec arch = lenet::parse_arch(text);
    if (lenet::parse_arch(arch.to_string()).to_string() != arch.to_string()) std::abort();
    std::size_t parameters = 0;
    for (const lenet::ParameterShape& p : lenet::Network::parameter_shapes(arch)) parameters += lenet::shape_size(p.shape);
    if (parameters > lenet::max_parameters) std::abort();
    // Building allocates what the bounds allow (up to 128 MB); only small networks are built and run,
    // so that most inputs take well under a millisecond (the conv bug this found was on 8x8 inputs);
    // the largest that run, some 100 M multiply-adds, take about a second under ASan.
    if (parameters > 20'000 || lenet::shape_size(arch.input) > 1'024) return 0;
    lenet::Network network(arch);
    std::size_t activations = 0;
    for (std::size_t i = 0; i < network.layer_count(); ++i) activations += lenet::shape_size(network.layer(i).output_shape());
    if (activations > 100'000) return 0;  // padding can still blow a small input up: build, don't run
    if (lenet::Network(network.spec()).spec() != network.spec()) std::abort();
    lenet::Tensor x = lenet::Tensor::from_shape(lenet::batch_shape(1, network.input_shape()));
    x.fill(0.5f);
    if (network.forward(x).size() != network.num_classes()) std::abort();
  } catch (const lenet::Error&) {
  }
  return 0;
}
