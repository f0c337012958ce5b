#include "native_trainer/run/parallel_trainer.hpp"

#include <algorithm>

#include "core/base/error.hpp"

namespace lenet {

namespace {
struct Share {
  std::size_t begin, end;
};
// Thread t's contiguous share of n items: the same split for the same n and thread count.
Share share(std::size_t n, std::size_t threads, std::size_t t) { return {n * t / threads, n * (t + 1) / threads}; }

LossResult sum(const std::vector<LossResult>& per_thread) {
  LossResult total;
  for (const LossResult& r : per_thread) total += r;
  return total;
}
}  // namespace

ParallelTrainer::ParallelTrainer(Network& master, std::size_t threads) : master_(master), pool_(threads) {
  for (std::size_t t = 1; t < pool_.size(); ++t) replicas_.push_back(master_);
  master_params_ = master_.parameters();
  for (Network& r : replicas_) replica_params_.push_back(r.parameters());
}

void ParallelTrainer::copy_master_to_replicas() {
  for (Network& r : replicas_) r.copy_parameters_from(master_);
}

LossResult ParallelTrainer::compute_gradients(const Dataset& data, const std::size_t* indices, std::size_t n,
                                              Normalization norm, const BatchAugmentation* augment) {
  const std::size_t threads = pool_.size();
  std::vector<LossResult> results(threads);
  std::vector<char> active(threads, 0);
  pool_.run([&](std::size_t t) {
    const Share s = share(n, threads, t);
    if (s.begin == s.end) return;
    thread_local Tensor x;
    thread_local std::vector<std::uint8_t> labels;
    gather_batch(data, indices + s.begin, s.end - s.begin, norm, x, labels, augment, s.begin);
    results[t] = forward_backward(network(t), x, labels.data(), n);
    active[t] = 1;
  });

  // master.grad = sum over threads, in thread order, each thread summing its slice of every
  // parameter. Thread 0's own gradient is already in the master; a thread with no images adds nothing.
  if (!active[0])
    for (Parameter* p : master_params_) p->grad.fill(0.0f);
  pool_.run([&](std::size_t t) {
    for (std::size_t pi = 0; pi < master_params_.size(); ++pi) {
      float* sum = master_params_[pi]->grad.data();
      const Share s = share(master_params_[pi]->grad.size(), threads, t);
      for (std::size_t r = 1; r < threads; ++r) {
        if (!active[r]) continue;
        const float* g = replica_params_[r - 1][pi]->grad.data();
        for (std::size_t i = s.begin; i < s.end; ++i) sum[i] += g[i];
      }
    }
  });
  return sum(results);
}

void ParallelTrainer::step(Optimizer& optimizer) {
  if (optimizer.parameters() != master_params_)
    throw Error("ParallelTrainer::step: the optimiser is not bound to this network's parameters");
  optimizer.begin_step();
  const std::size_t total = optimizer.size(), threads = pool_.size();
  pool_.run([&](std::size_t t) {
    const Share s = share(total, threads, t);
    optimizer.update(s.begin, s.end);
    for (auto& params : replica_params_)
      for_each_span(master_params_, s.begin, s.end, [&](std::size_t i, std::size_t first, std::size_t last) {
        const float* from = master_params_[i]->value.data();
        std::copy(from + first, from + last, params[i]->value.data() + first);
      });
  });
}

LossResult ParallelTrainer::evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                                     std::vector<std::uint8_t>* predictions, std::size_t batch) {
  const std::size_t threads = pool_.size();
  std::vector<LossResult> results(threads);
  if (predictions) predictions->assign(n, 0);
  pool_.run([&](std::size_t t) {
    const Share s = share(n, threads, t);
    results[t] = lenet::evaluate(network(t), data, std::span(indices + s.begin, s.end - s.begin), norm,
                                 predictions ? predictions->data() + s.begin : nullptr, batch);
  });
  return sum(results);
}

}  // namespace lenet
