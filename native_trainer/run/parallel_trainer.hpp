#pragma once
// Data-parallel training on the CPU: each thread owns a replica of the network and takes a
// contiguous share of every batch; gradients are summed in thread order, so a seeded run with
// the same thread count is reproducible bit for bit. The core stays single-threaded.
// The replicas are copies of the master made at construction and kept equal to it by step():
// change the master's weights only through step() while a ParallelTrainer works on it.

#include <cstdint>
#include <vector>

#include "core/formats/idx.hpp"
#include "core/formats/model_io.hpp"
#include "core/nn/optimizer.hpp"
#include "core/train/training.hpp"
#include "native_trainer/run/thread_pool.hpp"

namespace lenet {

class ParallelTrainer {
 public:
  ParallelTrainer(Network& master, std::size_t threads);

  std::size_t threads() const { return pool_.size(); }

  // Forward and backward over data[indices[0..n)]: afterwards the master's gradients are those of
  // the batch's mean loss. Returns the summed loss and the correct count (check the loss before
  // stepping: a NaN loss must not reach the weights). With `augment`, the batch's images are
  // replaced by their random variants (the same ones for any thread count).
  LossResult compute_gradients(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                               const BatchAugmentation* augment = nullptr);
  // The optimiser's step on the master's parameters (optimizer must be bound to them), spread
  // over the threads, each of which then copies its share of the new weights into the replicas
  // while they are still in cache. Bit for bit the same as optimizer.step().
  void step(Optimizer& optimizer);
  // The master's weights were set from outside (early stopping restored the best epoch's): the
  // replicas take them too.
  void copy_master_to_replicas();

  // Loss and correct count over data[indices[0..n)]; predictions[i] gets the argmax for image i
  // when predictions is not null.
  LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                      std::vector<std::uint8_t>* predictions = nullptr, std::size_t batch = 256);

 private:
  Network& network(std::size_t thread) { return thread == 0 ? master_ : replicas_[thread - 1]; }

  Network& master_;
  ThreadPool pool_;
  std::vector<Network> replicas_;  // threads 1..T-1; thread 0 works on the master itself
  // The networks' parameters, listed once (the layers, and so these pointers, never move).
  std::vector<Parameter*> master_params_;
  std::vector<std::vector<Parameter*>> replica_params_;
};

}  // namespace lenet
