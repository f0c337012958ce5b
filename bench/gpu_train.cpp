// GPU training benchmark: for each architecture, the pyimagesearch recipe (SGD lr 0.01,
// batch 128, 20 epochs, Glorot-uniform init, no normalisation) on the full MNIST training set
// (60,000 images) with the CUDA path, as lenet-train --device cuda runs it (data uploaded once,
// the CPU's shuffle uploaded per epoch, captured steps, totals read back every 16 batches).
// Prints per epoch: training seconds, images/s, test accuracy; then seconds per epoch (the median
// of epochs 2.., the first pays for graph capture and cuBLAS's warm-up), images/s and the time to
// 99.0 % test accuracy (training plus the per-epoch test evaluations, wall clock), and one
// machine-readable RESULT line that bench/gpu.sh sets beside PyTorch's.
//
// Usage: lenet_bench_gpu [--arch lenet,lenet5] [--epochs 20] [--batch 128] [--data DIR] [--seed 42]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/formats/idx.hpp"
#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "native_trainer/cuda/trainer.hpp"

using namespace lenet;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void bench(const std::string& arch, const Dataset& train, const Dataset& test, std::size_t epochs, std::size_t batch,
           std::uint64_t seed) {
  Network net(arch);
  Rng rng(seed);
  net.initialize(rng);
  Sgd sgd(net.parameters(), SgdConfig{0.01f, 0.0f, false, 0.0f});
  const Normalization norm{};
  const Clock::time_point start = Clock::now();
  cuda::Trainer gpu(net, sgd, batch);
  gpu.set_training_data(train, norm);
  std::printf("%s on %s: %zu parameters, batch %zu, SGD lr 0.01, %zu training images\n", arch.c_str(),
              gpu.device_name().c_str(), net.parameter_count(), batch, train.count);

  std::vector<std::size_t> order(train.count), test_idx(test.count);
  std::iota(test_idx.begin(), test_idx.end(), 0);
  std::vector<double> epoch_seconds;
  double time_to_99 = -1;
  const std::size_t batches = (train.count + batch - 1) / batch;
  for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    shuffle(std::span(order), rng);
    const Clock::time_point t0 = Clock::now();
    gpu.set_order(order.data(), order.size());
    double loss = 0;
    std::size_t correct = 0, seen = 0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t first = b * batch;
      gpu.train_batch(first, std::min(batch, train.count - first));
      if ((b + 1) % 16 == 0 || b + 1 == batches) {
        const BatchTotals t = gpu.take_totals();
        if (t.first_bad >= 0) throw Error("the loss became NaN in epoch " + std::to_string(epoch));
        loss += t.loss_sum;
        correct += t.correct;
        seen += t.images;
      }
    }
    const double s = seconds_since(t0);
    epoch_seconds.push_back(s);
    const LossResult r = gpu.evaluate(test, test_idx.data(), test_idx.size(), norm);
    const double accuracy = double(r.correct) / double(test.count);
    if (time_to_99 < 0 && accuracy >= 0.99) time_to_99 = seconds_since(start);
    std::printf("  epoch %2zu: %.3f s, %8.0f images/s, loss %.4f, acc %.4f, test acc %.4f\n", epoch, s,
                double(seen) / s, loss / double(seen), double(correct) / double(seen), accuracy);
    std::fflush(stdout);
  }
  std::vector<double> steady(epoch_seconds.begin() + (epoch_seconds.size() > 1 ? 1 : 0), epoch_seconds.end());
  std::sort(steady.begin(), steady.end());
  const double per_epoch = steady[steady.size() / 2];
  const double images_per_s = double(train.count) / per_epoch;
  std::printf("ours %s: %.3f s/epoch (median of epochs 2-%zu; first %.3f s), %.0f images/s, ", arch.c_str(),
              per_epoch, epochs, epoch_seconds.front(), images_per_s);
  if (time_to_99 >= 0)
    std::printf("99.0 %% test accuracy after %.2f s\n", time_to_99);
  else
    std::printf("99.0 %% test accuracy not reached in %zu epochs\n", epochs);
  std::printf("RESULT impl=ours arch=%s sec_per_epoch=%.6f images_per_s=%.1f time_to_99=%.3f\n", arch.c_str(),
              per_epoch, images_per_s, time_to_99);
  std::fflush(stdout);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string archs = "lenet,lenet5", data = LENET_MNIST_DIR;
  std::size_t epochs = 20, batch = 128;
  std::uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--arch" && has_value) archs = argv[++i];
    else if (a == "--epochs" && has_value) epochs = std::stoul(argv[++i]);
    else if (a == "--batch" && has_value) batch = std::stoul(argv[++i]);
    else if (a == "--data" && has_value) data = argv[++i];
    else if (a == "--seed" && has_value) seed = std::stoull(argv[++i]);
    else {
      std::fprintf(stderr, "usage: lenet_bench_gpu [--arch lenet,lenet5] [--epochs 20] [--batch 128] [--data DIR] [--seed 42]\n");
      return 2;
    }
  }
  try {
    if (const std::string why = cuda::unavailable_reason(); !why.empty()) throw Error(why);
    if (epochs == 0 || batch == 0) throw Error("--epochs and --batch must be positive");
    const Dataset train = load_idx_dataset(data + "/train-images-idx3-ubyte", data + "/train-labels-idx1-ubyte");
    const Dataset test = load_idx_dataset(data + "/t10k-images-idx3-ubyte", data + "/t10k-labels-idx1-ubyte");
    for (const std::string& arch : split(archs)) bench(arch, train, test, epochs, batch, seed);
  } catch (const Error& e) {
    std::fprintf(stderr, "lenet_bench_gpu: %s\n", e.what());
    return 1;
  }
  return 0;
}
