#include "native_trainer/run/trainer_backend.hpp"

#include <cmath>
#include <utility>

#include "core/base/error.hpp"
#include "native_trainer/cuda/module_loader.hpp"
#include "native_trainer/run/parallel_trainer.hpp"

namespace lenet {

namespace {

// Threads over the CPU: the gradients of each batch, checked, then core's optimiser.
class CpuBackend final : public TrainerBackend {
 public:
  CpuBackend(Network& net, Optimizer& opt, std::size_t threads) : trainer_(net, threads), opt_(opt) {}

  std::string description() const override {
    return std::to_string(trainer_.threads()) + (trainer_.threads() == 1 ? " thread" : " threads");
  }
  void begin_epoch(const Dataset& data, const std::vector<std::size_t>& order, Normalization norm) override {
    data_ = &data;
    order_ = &order;
    norm_ = norm;
  }
  void train_batch(std::size_t first, std::size_t n, const BatchAugmentation* augment) override {
    ++pending_.batches;
    if (pending_.first_bad >= 0) return;
    const LossResult r = trainer_.compute_gradients(*data_, order_->data() + first, n, norm_, augment);
    if (!std::isfinite(r.loss_sum)) {  // a NaN loss must not reach the weights
      pending_.first_bad = static_cast<long long>(pending_.batches - 1);
      return;
    }
    trainer_.step(opt_);
    pending_.loss_sum += r.loss_sum;
    pending_.correct += r.correct;
    pending_.images += n;
  }
  std::size_t batches_per_report() const override { return 1; }
  BatchTotals take_totals() override { return std::exchange(pending_, BatchTotals{}); }
  LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                      std::vector<std::uint8_t>* predictions) override {
    return trainer_.evaluate(data, indices, n, norm, predictions);
  }
  void sync_to_host() override {}  // the master network and the optimiser are the host's own
  void sync_from_host() override { trainer_.copy_master_to_replicas(); }

 private:
  ParallelTrainer trainer_;
  Optimizer& opt_;
  const Dataset* data_ = nullptr;
  const std::vector<std::size_t>* order_ = nullptr;
  Normalization norm_;
  BatchTotals pending_;
};

// The GPU, through the CUDA module (cuda/module_interface.hpp): steps are queued (CUDA Graphs)
// and their loss sums read back every few batches.
class CudaBackend final : public TrainerBackend {
 public:
  CudaBackend(const cuda::ModuleExports& module, Network& net, Optimizer& opt, std::size_t batch_size)
      : trainer_(module.make_trainer(net, opt, batch_size)), net_(net), opt_(opt), lr_(opt.learning_rate()) {}

  std::string description() const override {
    return "CUDA on " + trainer_->device_name() + (trainer_->uses_graphs() ? " (CUDA Graphs)" : " (no graphs)");
  }
  void begin_epoch(const Dataset& data, const std::vector<std::size_t>& order, Normalization norm) override {
    trainer_->set_training_data(data, norm);
    trainer_->set_order(order.data(), order.size());
  }
  void train_batch(std::size_t first, std::size_t n, const BatchAugmentation* augment) override {
    if (augment) throw Error("--device cuda cannot augment images yet");
    if (opt_.learning_rate() != lr_) trainer_->set_learning_rate(lr_ = opt_.learning_rate());
    trainer_->train_batch(first, n);
  }
  // A read-back every 16 batches keeps the progress bar alive at a few microseconds per epoch.
  std::size_t batches_per_report() const override { return 16; }
  BatchTotals take_totals() override { return trainer_->take_totals(); }
  LossResult evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                      std::vector<std::uint8_t>* predictions) override {
    return trainer_->evaluate(data, indices, n, norm, predictions);
  }
  void sync_to_host() override { trainer_->download(net_, opt_); }
  void sync_from_host() override { trainer_->upload(net_, opt_); }

 private:
  std::unique_ptr<cuda::GpuTrainer> trainer_;
  Network& net_;
  Optimizer& opt_;
  float lr_;
};

}  // namespace

const char* device_name(Device device) { return device == Device::cuda ? "cuda" : "cpu"; }

Device device_from_name(const std::string& name) {
  for (Device device : {Device::cpu, Device::cuda})
    if (name == device_name(device)) return device;
  throw Error("--device must be cpu or cuda, not '" + name + "'");
}

std::string device_unavailable_reason(Device device) {
  if (device == Device::cpu) return {};
  const cuda::LoadedModule& module = cuda::installed_module();  // loaded here, on the first use only
  return module.exports ? module.exports->unavailable_reason() : module.error;
}

std::unique_ptr<TrainerBackend> make_trainer_backend(Device device, Network& net, Optimizer& opt,
                                                     std::size_t threads, std::size_t batch_size) {
  if (const std::string why = device_unavailable_reason(device); !why.empty()) throw Error(why);
  if (device == Device::cuda)
    return std::make_unique<CudaBackend>(*cuda::installed_module().exports, net, opt, batch_size);
  return std::make_unique<CpuBackend>(net, opt, threads);
}

}  // namespace lenet
