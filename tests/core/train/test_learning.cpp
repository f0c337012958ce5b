#include <doctest/doctest.h>

#include <numeric>

#include "core/nn/optimizer.hpp"
#include "core/train/training.hpp"

using namespace lenet;

// Learning for real: a short run on a few thousand real MNIST training images must reach 95 %
// on 1,000 test images it never saw (85 % after a sixth of the run under the sanitizers). This is the end-to-end check of layers, loss, optimiser and
// data path together (in the wasm build too).
// (tests/CMakeLists.txt names this test to start it early: keep the two names the same.)
TEST_CASE("a short training run on real MNIST reaches 95 percent on held-out test images") {
  const Dataset train = load_idx_dataset(LENET_MNIST_DIR "/train-images-idx3-ubyte", LENET_MNIST_DIR "/train-labels-idx1-ubyte");
  const Dataset test = load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
  Rng rng(1998);
  Network net("lenet5-rowe98");
  net.initialize(rng);
  Adam adam(net.parameters(), {});
  const Normalization norm{};
#ifdef LENET_SANITIZED
  // Under the sanitizers (20 to 30 times slower) the same path runs on a sixth of the work: what
  // they check is every memory access and every operation, not how much is learnt.
  const std::size_t images = 3000, batch = 32, epochs = 1;
  const double at_least = 0.85;
#else
  const std::size_t images = 6000, batch = 32, epochs = 3;
  const double at_least = 0.95;
#endif
  std::vector<std::size_t> order(images);
  std::iota(order.begin(), order.end(), 0);
  Tensor x;
  std::vector<std::uint8_t> labels;
  for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
    shuffle(std::span(order), rng);
    for (std::size_t b = 0; b + batch <= images; b += batch) {
      gather_batch(train, order.data() + b, batch, norm, x, labels);
      forward_backward(net, x, labels.data(), batch);
      adam.step();
    }
  }
  const LossResult r = evaluate(net, test, 0, 1000, norm);
  const double accuracy = static_cast<double>(r.correct) / 1000.0;
  MESSAGE("held-out accuracy after ", epochs, " epochs on ", images, " images: ", accuracy, ", mean loss ",
          r.loss_sum / 1000.0);
  CHECK(accuracy >= at_least);
}
