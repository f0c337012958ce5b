// The GPU training path, host side: cuBLAS for the GEMMs (convolutions through im2col, dense
// layers), own kernels (kernels.cu) for everything else; trainer.hpp says what a Trainer holds.
//
// Streams and synchronisation: everything runs on one stream of the Trainer's, in order. The host
// waits for the device only in take_totals(), evaluate(), download() and the test hooks.
// Kernels that decide (the batch's loss is not finite -> stop updating) read and write a small
// Control block in device memory, so a captured graph needs no host value per step.

#include "native_trainer/cuda/trainer.hpp"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "native_trainer/cuda/kernels.hpp"
#include "native_trainer/cuda/plan.hpp"
#include "native_trainer/cuda/step_sequence.hpp"
#include "native_trainer/cuda/trainer_probe.hpp"

namespace lenet::cuda {

namespace {

// ---- errors: every CUDA and cuBLAS call is checked and becomes one sentence ------------------

void check(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw Error(std::string("--device cuda: ") + what + " failed: " + cublasGetStatusString(status));
}

// ---- device memory ---------------------------------------------------------------------------

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count, const char* what) { allocate(count, what); }
  ~DeviceBuffer() { release(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), count_(o.count_) { o.ptr_ = nullptr, o.count_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
      release();
      ptr_ = o.ptr_, count_ = o.count_;
      o.ptr_ = nullptr, o.count_ = 0;
    }
    return *this;
  }

  void allocate(std::size_t count, const char* what) {
    release();
    if (count == 0) return;
    void* p = nullptr;
    const cudaError_t err = cudaMalloc(&p, count * sizeof(T));
    if (err != cudaSuccess)
      throw Error(std::string("--device cuda: cannot allocate ") + std::to_string(count * sizeof(T) >> 20) +
                  " MiB of GPU memory for " + what + " (" + cudaGetErrorString(err) + "); try a smaller --batch-size");
    ptr_ = static_cast<T*>(p);
    count_ = count;
  }
  T* get() const { return ptr_; }
  std::size_t size() const { return count_; }

 private:
  void release() {
    if (ptr_) cudaFree(ptr_);  // never throws; an error here has nowhere to go
    ptr_ = nullptr;
    count_ = 0;
  }
  T* ptr_ = nullptr;
  std::size_t count_ = 0;
};

// A data set on the device: images as bytes (a quarter of floats), labels.
struct DeviceDataset {
  const Dataset* source = nullptr;
  const std::uint8_t* host_images = nullptr;
  std::size_t count = 0;
  DeviceBuffer<std::uint8_t> images, labels;

  bool is(const Dataset& d) const { return source == &d && host_images == d.images.data() && count == d.count; }
};

constexpr std::size_t eval_batch = 256;

// "13.0" from CUDA's 13000.
std::string cuda_version_text(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

// Why the driver cannot serve this module, or empty. cudart finds the driver (libcuda.so.1)
// through the dynamic loader; cudaDriverGetVersion gives 0 when it found none.
std::string driver_problem() {
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  if (driver == 0)
    return "--device cuda: the NVIDIA driver is missing: the dynamic loader finds no libcuda.so.1 "
           "(looked in LD_LIBRARY_PATH and the ldconfig cache)";
  if (driver / 1000 < runtime / 1000)  // within a major version, CUDA's minor version compatibility holds
    return "--device cuda: the NVIDIA driver supports CUDA " + cuda_version_text(driver) + ", older than the CUDA " +
           cuda_version_text(runtime) + " the CUDA module is built with";
  return {};
}

}  // namespace

std::string unavailable_reason() {
  if (std::string why = driver_problem(); !why.empty()) return why;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    cudaGetLastError();  // clear it
    if (err == cudaErrorNoDevice) return "--device cuda: no CUDA GPU is visible on this machine";
    return std::string("--device cuda: no CUDA GPU can be used here (") + cudaGetErrorString(err) + ")";
  }
  if (count == 0) return "--device cuda: no CUDA GPU is visible on this machine";
  int device = 0;
  cudaDeviceProp prop{};
  if (cudaGetDevice(&device) != cudaSuccess || cudaGetDeviceProperties(&prop, device) != cudaSuccess) {
    cudaGetLastError();
    return "--device cuda: the CUDA GPU's properties cannot be read";
  }
  if (prop.major < 9)
    return std::string("--device cuda: this lenet-train is built for sm_90 (H100 class) GPUs, and ") + prop.name +
           " has compute capability " + std::to_string(prop.major) + "." + std::to_string(prop.minor) +
           " (rebuild with CMAKE_CUDA_ARCHITECTURES set to it)";
  return {};
}

GpuReport gpu_report() {
  GpuReport report;
  int runtime = 0, driver = 0, count = 0;
  cudaRuntimeGetVersion(&runtime);
  report.runtime = cuda_version_text(runtime);
  cudaDriverGetVersion(&driver);
  if (driver > 0) report.driver = cuda_version_text(driver);
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    count = 0;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
      cudaGetLastError();
      continue;
    }
    report.gpus.push_back(GpuDevice{prop.name, prop.major, prop.minor, prop.totalGlobalMem});
  }
  report.unavailable = unavailable_reason();
  return report;
}

struct Trainer::Impl {
  std::vector<LayerOp> ops;
  ParamLayout layout;
  OptimizerSettings settings;
  int classes = 0;
  std::size_t input_size = 0;      // C*H*W
  std::size_t max_batch = 0;       // training
  std::size_t buffer_batch = 0;    // max(max_batch, eval_batch): rows of every activation buffer
  std::string device_name;
  bool graphs = true;

  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  DeviceBuffer<std::uint8_t> blas_workspace;

  DeviceBuffer<float> params, grads, slot0, slot1;  // slot0: momentum or adam_m, slot1: adam_v
  std::vector<DeviceBuffer<float>> storage;         // owns the step's buffers
  StepBuffers buffers;                              // step_sequence.hpp: activations, gradients, scratch
  DeviceBuffer<std::uint8_t> batch_labels, predictions;
  DeviceBuffer<double> loss_rows;
  DeviceBuffer<int> correct_rows;
  DeviceBuffer<Control> ctrl;
  Control* host_ctrl = nullptr;  // pinned

  DeviceDataset train_data;
  std::vector<std::unique_ptr<DeviceDataset>> eval_data;  // a few cached (validation, test)
  float scale = 1.0f, shift = 0.0f;
  DeviceBuffer<std::uint32_t> order, eval_index;
  std::size_t order_count = 0;
  std::size_t cursor = static_cast<std::size_t>(-1);  // host shadow of ctrl->cursor; -1: unknown
  std::map<std::size_t, cudaGraphExec_t> step_graphs;  // one per batch size
  std::set<std::size_t> warmed_up;                     // batch sizes run once without a graph

  ~Impl() {
    drop_graphs();
    if (host_ctrl) cudaFreeHost(host_ctrl);
    if (blas) cublasDestroy(blas);
    if (stream) cudaStreamDestroy(stream);
  }

  void drop_graphs() {
    for (auto& [n, exec] : step_graphs) cudaGraphExecDestroy(exec);
    step_graphs.clear();
  }

  float* new_buffer(std::size_t count, const char* what) {
    storage.emplace_back(count, what);
    return storage.back().get();
  }

  void sync(const char* what) { check(cudaStreamSynchronize(stream), what); }

  // Row-major GEMM through cuBLAS (plan.hpp: row_major_gemm).
  void gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
            float beta, float* c, int ldc) {
    const ColumnMajorGemm g = row_major_gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
    check(cublasSgemm(blas, g.trans_first ? CUBLAS_OP_T : CUBLAS_OP_N, g.trans_second ? CUBLAS_OP_T : CUBLAS_OP_N,
                      g.m, g.n, g.k, &alpha, g.first, g.ld_first, g.second, g.ld_second, &beta, g.c, g.ldc),
          "cublasSgemm");
  }

  // step_sequence.hpp's launcher on the GPU: each call enqueues one kernel (kernels.hpp) or one
  // cuBLAS GEMM on the trainer's stream.
  struct DeviceLauncher {
    Impl& d;
    void gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
              float beta, float* c, int ldc) {
      d.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
    void im2col(const float* x, const GpuConvGeometry& g, index_t cols, float* col) {
      launch::im2col(d.stream, x, g, cols, col);
    }
    void conv_output(const float* out_cols, const float* bias, const GpuConvGeometry& g, index_t cols, index_t total,
                     float* y) {
      launch::conv_output(d.stream, out_cols, bias, g, cols, total, y);
    }
    void conv_dy_cols(const float* dy, const GpuConvGeometry& g, index_t cols, float* dy_cols) {
      launch::conv_dy_cols(d.stream, dy, g, cols, dy_cols);
    }
    void col2im(const float* dcol, const GpuConvGeometry& g, index_t cols, index_t total, float* dx) {
      launch::col2im(d.stream, dcol, g, cols, total, dx);
    }
    void row_sum(const float* m, int rows, index_t cols, float* out) { launch::row_sum(d.stream, m, rows, cols, out); }
    void column_sum(const float* m, int rows, int cols, float* out) { launch::column_sum(d.stream, m, rows, cols, out); }
    void bias_fill(const float* bias, int out, index_t total, float* y) { launch::bias_fill(d.stream, bias, out, total, y); }
    void pool_forward(const float* x, const PoolGeom& g, index_t total, float* y, std::uint32_t* argmax) {
      launch::pool_forward(d.stream, x, g, total, y, argmax);
    }
    void pool_backward(const float* dy, const std::uint32_t* argmax, const PoolGeom& g, index_t total, float* dx) {
      launch::pool_backward(d.stream, dy, argmax, g, total, dx);
    }
    void activation_forward(ActivationKind kind, const float* x, index_t total, float* y) {
      launch::activation_forward(d.stream, kind, x, total, y);
    }
    void activation_backward(ActivationKind kind, const float* y, const float* dy, index_t total, float* dx) {
      launch::activation_backward(d.stream, kind, y, dy, total, dx);
    }
  };

  void enqueue_forward(std::size_t n) {
    DeviceLauncher launcher{*this};
    run_forward(launcher, ops, buffers, n);
  }

  // Softmax + CE on act[L] with labels in batch_labels; dlogits into grad[L] if with_grad.
  void enqueue_loss(std::size_t n, bool with_grad, std::uint8_t* predictions_out) {
    const int rows = static_cast<int>(n);
    launch::softmax_ce(stream, buffers.act.back(), batch_labels.get(), rows, classes, 1.0f / static_cast<float>(n),
                       with_grad ? buffers.grad.back() : nullptr, loss_rows.get(), correct_rows.get(), predictions_out);
  }

  void enqueue_backward(std::size_t n) {
    DeviceLauncher launcher{*this};
    run_backward(launcher, ops, buffers, n);
  }

  void enqueue_update() {
    const bool adam = settings.kind == OptimizerSettings::Kind::adam;
    launch::prepare_update(stream, ctrl.get(), adam, settings.adam.beta1, settings.adam.beta2);
    const index_t total = static_cast<index_t>(layout.total);
    if (adam)
      launch::adam(stream, params.get(), grads.get(), slot0.get(), slot1.get(), total, ctrl.get(), settings.adam);
    else
      launch::sgd(stream, params.get(), grads.get(), slot0.get(), total, ctrl.get(), settings.sgd);
  }

  void enqueue_gather(const DeviceDataset& data, const std::uint32_t* order_ptr, const unsigned int* cursor_ptr,
                      std::size_t n) {
    const int pixels = static_cast<int>(input_size);
    launch::gather(stream, data.images.get(), data.labels.get(), order_ptr, cursor_ptr, static_cast<int>(n), pixels,
                   scale, shift, buffers.act[0], batch_labels.get());
  }

  // One whole training step; reads the batch's position from ctrl->cursor.
  void enqueue_train_step(std::size_t n) {
    const auto* cursor_ptr = reinterpret_cast<const unsigned int*>(reinterpret_cast<const char*>(ctrl.get()) +
                                                                   offsetof(Control, cursor));
    enqueue_gather(train_data, order.get(), cursor_ptr, n);
    enqueue_forward(n);
    enqueue_loss(n, true, nullptr);
    launch::train_totals(stream, loss_rows.get(), correct_rows.get(), static_cast<int>(n), ctrl.get());
    enqueue_backward(n);
    enqueue_update();
  }

  cudaGraphExec_t step_graph(std::size_t n) {
    if (auto it = step_graphs.find(n); it != step_graphs.end()) return it->second;
    cudaGraph_t graph = nullptr;
    check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "starting the CUDA Graph capture");
    try {
      enqueue_train_step(n);
    } catch (...) {
      cudaStreamEndCapture(stream, &graph);
      if (graph) cudaGraphDestroy(graph);
      cudaGetLastError();  // the capture's error is in the exception
      throw;
    }
    check(cudaStreamEndCapture(stream, &graph), "capturing the training step as a CUDA Graph");
    cudaGraphExec_t exec = nullptr;
    const cudaError_t err = cudaGraphInstantiate(&exec, graph, 0);
    cudaGraphDestroy(graph);
    check(err, "instantiating the training step's CUDA Graph");
    step_graphs.emplace(n, exec);
    return exec;
  }

  const Control& read_control(const char* what) {
    check(cudaMemcpyAsync(host_ctrl, ctrl.get(), sizeof(Control), cudaMemcpyDeviceToHost, stream), what);
    sync(what);
    return *host_ctrl;
  }

  void upload_dataset(DeviceDataset& d, const Dataset& data) {
    if (data.rows * data.cols != input_size)
      throw Error("--device cuda: the network expects " + std::to_string(input_size) + " pixels per image, the data set has " +
                  std::to_string(data.rows * data.cols));
    d.images.allocate(data.images.size(), "the images");
    d.labels.allocate(data.labels.size(), "the labels");
    if (!data.images.empty())
      check(cudaMemcpyAsync(d.images.get(), data.images.data(), data.images.size(), cudaMemcpyHostToDevice, stream),
            "uploading the images");
    if (!data.labels.empty())
      check(cudaMemcpyAsync(d.labels.get(), data.labels.data(), data.labels.size(), cudaMemcpyHostToDevice, stream),
            "uploading the labels");
    d.source = &data;
    d.host_images = data.images.data();
    d.count = data.count;
  }

  void set_normalization(Normalization norm) {
    // The same float arithmetic as core's gather_batch.
    const float s = 1.0f / (255.0f * norm.std), h = norm.mean / norm.std;
    if (s != scale || h != shift) drop_graphs();  // captured by value
    scale = s;
    shift = h;
  }

  template <typename T>
  std::vector<T> download(const T* src, std::size_t count, const char* what) {
    std::vector<T> out(count);
    if (count) check(cudaMemcpyAsync(out.data(), src, count * sizeof(T), cudaMemcpyDeviceToHost, stream), what);
    sync(what);
    return out;
  }
};

Trainer::Trainer(const Network& net, Optimizer& opt, std::size_t batch_size) : impl_(std::make_unique<Impl>()) {
  if (const std::string why = unavailable_reason(); !why.empty()) throw Error(why);
  if (batch_size == 0) throw Error("--device cuda: the batch size must be at least 1");
  Impl& d = *impl_;
  d.ops = plan_layers(net);
  d.layout = layout_parameters(net);
  d.settings = optimizer_settings(opt);
  d.classes = static_cast<int>(net.num_classes());
  d.input_size = shape_size(net.input_shape());
  d.max_batch = batch_size;
  d.buffer_batch = std::max(batch_size, eval_batch);
  if (const char* g = std::getenv("LENET_CUDA_GRAPHS"); g && std::string(g) == "0") d.graphs = false;

  int device = 0;
  check(cudaGetDevice(&device), "selecting the GPU");
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, device), "reading the GPU's properties");
  d.device_name = prop.name;
  check(cudaStreamCreateWithFlags(&d.stream, cudaStreamNonBlocking), "creating a CUDA stream");
  check(cublasCreate(&d.blas), "creating the cuBLAS handle");
  check(cublasSetStream(d.blas, d.stream), "binding cuBLAS to the stream");
  // A workspace of our own, so that no allocation happens while a graph is being captured.
  d.blas_workspace.allocate(std::size_t{32} << 20, "cuBLAS's workspace");
  check(cublasSetWorkspace(d.blas, d.blas_workspace.get(), d.blas_workspace.size()), "setting cuBLAS's workspace");
  // Plain FP32 (no TF32): the results are held to the CPU's within 1e-4.
  check(cublasSetMathMode(d.blas, CUBLAS_DEFAULT_MATH), "setting cuBLAS's math mode");

  const std::size_t rows = d.buffer_batch;
  d.params.allocate(d.layout.total, "the parameters");
  d.grads.allocate(d.layout.total, "the gradients");
  for (std::size_t s = 0; s < d.settings.slots().size(); ++s)
    (s == 0 ? d.slot0 : d.slot1).allocate(d.layout.total, "the optimiser's state");
  // The padding between parameters stays zero in every buffer (no kernel writes it).
  check(cudaMemsetAsync(d.grads.get(), 0, d.layout.total * sizeof(float), d.stream), "clearing the gradients");

  d.buffers = allocate_step_buffers(
      d.ops, rows, d.input_size, static_cast<std::size_t>(d.classes),
      [&d](std::size_t count, const char* what) { return d.new_buffer(count, what); },
      [&d](std::size_t count, const char* what) {  // float storage of the same size
        return reinterpret_cast<std::uint32_t*>(d.new_buffer(count, what));
      });
  d.buffers.params = d.params.get();
  d.buffers.grads = d.grads.get();
  d.buffers.layout = &d.layout;
  d.batch_labels.allocate(rows, "the batch labels");
  d.loss_rows.allocate(rows, "the loss rows");
  d.correct_rows.allocate(rows, "the accuracy rows");
  d.ctrl.allocate(1, "the control block");
  void* pinned = nullptr;
  check(cudaMallocHost(&pinned, sizeof(Control)), "allocating pinned host memory");
  d.host_ctrl = static_cast<Control*>(pinned);
  launch::init_control(d.stream, d.ctrl.get());
  upload(net, opt);
}

Trainer::~Trainer() = default;

std::string Trainer::device_name() const { return impl_->device_name; }
bool Trainer::uses_graphs() const { return impl_->graphs; }

void Trainer::upload(const Network& net, Optimizer& opt) {
  Impl& d = *impl_;
  const std::vector<float> flat = pack_parameters(net, d.layout);
  check(cudaMemcpyAsync(d.params.get(), flat.data(), flat.size() * sizeof(float), cudaMemcpyHostToDevice, d.stream),
        "uploading the parameters");
  const std::vector<std::string> slots = d.settings.slots();
  for (std::size_t s = 0; s < slots.size(); ++s) {
    const std::vector<float> state = pack_state(opt, slots[s], d.layout);
    check(cudaMemcpyAsync((s == 0 ? d.slot0 : d.slot1).get(), state.data(), state.size() * sizeof(float),
                          cudaMemcpyHostToDevice, d.stream),
          "uploading the optimiser's state");
  }
  launch::set_optimizer(d.stream, d.ctrl.get(), opt.steps(), opt.learning_rate());
  d.sync("uploading the network");  // the host vectors above go out of scope
}

void Trainer::download(Network& net, Optimizer& opt) {
  Impl& d = *impl_;
  unpack_parameters(d.download(d.params.get(), d.layout.total, "downloading the parameters"), d.layout, net);
  const std::vector<std::string> slots = d.settings.slots();
  for (std::size_t s = 0; s < slots.size(); ++s)
    unpack_state(d.download((s == 0 ? d.slot0 : d.slot1).get(), d.layout.total, "downloading the optimiser's state"),
                 slots[s], d.layout, opt);
  opt.set_steps(d.read_control("reading the optimiser's step count").step);
}

void Trainer::set_learning_rate(float lr) {
  launch::set_lr(impl_->stream, impl_->ctrl.get(), lr);
}

void Trainer::set_training_data(const Dataset& data, Normalization norm) {
  Impl& d = *impl_;
  d.set_normalization(norm);
  if (d.train_data.is(data)) return;
  d.drop_graphs();
  d.upload_dataset(d.train_data, data);
  d.order_count = 0;
  d.cursor = static_cast<std::size_t>(-1);
}

void Trainer::set_order(const std::size_t* order, std::size_t count) {
  Impl& d = *impl_;
  if (!d.train_data.source) throw Error("--device cuda: set_order before set_training_data");
  for (std::size_t i = 0; i < count; ++i)
    if (order[i] >= d.train_data.count) throw Error("--device cuda: the epoch order names an image past the data set");
  const std::vector<std::uint32_t> o = device_order(order, count);
  if (d.order.size() < count) {
    d.drop_graphs();  // they hold the old buffer's address
    d.sync("finishing the queued steps");
    d.order.allocate(count, "the epoch order");
  }
  if (count)
    check(cudaMemcpyAsync(d.order.get(), o.data(), count * sizeof(std::uint32_t), cudaMemcpyHostToDevice, d.stream),
          "uploading the epoch order");
  d.order_count = count;
  d.cursor = static_cast<std::size_t>(-1);
  d.sync("uploading the epoch order");
}

void Trainer::train_batch(std::size_t first, std::size_t n) {
  Impl& d = *impl_;
  if (n == 0 || n > d.max_batch) throw Error("--device cuda: a batch of " + std::to_string(n) + " images does not fit");
  if (first + n > d.order_count) throw Error("--device cuda: the batch runs past the epoch order");
  if (d.cursor != first) {
    launch::set_cursor(d.stream, d.ctrl.get(), static_cast<unsigned int>(first));
  }
  // The first step of each batch size runs without a graph: it loads every kernel (CUDA loads
  // modules lazily) and lets cuBLAS settle its choices outside a capture; later steps replay.
  if (d.graphs && d.warmed_up.count(n)) {
    check(cudaGraphLaunch(d.step_graph(n), d.stream), "launching the training step's CUDA Graph");
  } else {
    d.enqueue_train_step(n);
    d.warmed_up.insert(n);
  }
  d.cursor = first + n;
}

BatchTotals Trainer::take_totals() {
  Impl& d = *impl_;
  const Control& c = d.read_control("training on the GPU");
  BatchTotals t;
  t.batches = c.batches;
  t.images = static_cast<std::size_t>(c.images);
  t.loss_sum = c.loss_sum;
  t.correct = static_cast<std::size_t>(c.correct);
  t.first_bad = c.first_bad;
  launch::reset_window(d.stream, d.ctrl.get());
  return t;
}

LossResult Trainer::evaluate(const Dataset& data, const std::size_t* indices, std::size_t n, Normalization norm,
                             std::vector<std::uint8_t>* predictions) {
  Impl& d = *impl_;
  d.set_normalization(norm);
  DeviceDataset* set = d.train_data.is(data) ? &d.train_data : nullptr;
  for (auto& e : d.eval_data)
    if (e->is(data)) set = e.get();
  if (!set) {
    if (d.eval_data.size() >= 3) d.eval_data.erase(d.eval_data.begin());
    d.eval_data.push_back(std::make_unique<DeviceDataset>());
    set = d.eval_data.back().get();
    d.upload_dataset(*set, data);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (indices[i] >= data.count) throw Error("--device cuda: an evaluation index is past the data set");
  const std::vector<std::uint32_t> idx = device_order(indices, n);
  if (d.eval_index.size() < n) d.eval_index.allocate(n, "the evaluation indices");
  if (predictions && d.predictions.size() < n) d.predictions.allocate(n, "the predictions");
  if (n)
    check(cudaMemcpyAsync(d.eval_index.get(), idx.data(), n * sizeof(std::uint32_t), cudaMemcpyHostToDevice, d.stream),
          "uploading the evaluation indices");
  launch::reset_eval(d.stream, d.ctrl.get());
  for (std::size_t b = 0; b < n; b += eval_batch) {
    const std::size_t rows = std::min(eval_batch, n - b);
    d.enqueue_gather(*set, d.eval_index.get() + b, nullptr, rows);
    d.enqueue_forward(rows);
    d.enqueue_loss(rows, false, predictions ? d.predictions.get() + b : nullptr);
    launch::eval_totals(d.stream, d.loss_rows.get(), d.correct_rows.get(), static_cast<int>(rows), d.ctrl.get());
  }
  if (predictions) *predictions = d.download(d.predictions.get(), n, "downloading the predictions");
  const Control& c = d.read_control("evaluating on the GPU");
  return LossResult{c.eval_loss, static_cast<std::size_t>(c.eval_correct)};
}

// ---- TrainerProbe (trainer_probe.hpp) ----

void TrainerProbe::forward(const float* x, std::size_t n) {
  Trainer::Impl& d = *trainer_.impl_;
  if (n == 0 || n > d.buffer_batch) throw Error("--device cuda: forward of " + std::to_string(n) + " rows does not fit");
  check(cudaMemcpyAsync(d.buffers.act[0], x, n * d.input_size * sizeof(float), cudaMemcpyHostToDevice, d.stream),
        "uploading a batch");
  d.enqueue_forward(n);
  d.sync("the forward pass");
  rows_ = n;
}

std::vector<float> TrainerProbe::activation(std::size_t layer) const {
  Trainer::Impl& d = *trainer_.impl_;
  return d.download(d.buffers.act.at(layer + 1), rows_ * d.ops.at(layer).out_size, "downloading an activation");
}

LossResult TrainerProbe::loss_and_backward(const std::uint8_t* labels, std::size_t n) {
  Trainer::Impl& d = *trainer_.impl_;
  if (n != rows_) throw Error("loss_and_backward: the batch differs from the last forward's");
  check(cudaMemcpyAsync(d.batch_labels.get(), labels, n, cudaMemcpyHostToDevice, d.stream), "uploading labels");
  launch::reset_eval(d.stream, d.ctrl.get());
  d.enqueue_loss(n, true, nullptr);
  launch::eval_totals(d.stream, d.loss_rows.get(), d.correct_rows.get(), static_cast<int>(n), d.ctrl.get());
  d.enqueue_backward(n);
  const Control& c = d.read_control("the backward pass");
  return LossResult{c.eval_loss, static_cast<std::size_t>(c.eval_correct)};
}

std::vector<float> TrainerProbe::logits_gradient() const {
  Trainer::Impl& d = *trainer_.impl_;
  return d.download(d.buffers.grad.back(), rows_ * static_cast<std::size_t>(d.classes), "downloading dL/dlogits");
}

std::vector<float> TrainerProbe::input_gradient(std::size_t layer) const {
  Trainer::Impl& d = *trainer_.impl_;
  if (layer == 0 || layer >= d.ops.size()) throw Error("input_gradient: layer out of range");
  return d.download(d.buffers.grad.at(layer), rows_ * d.ops[layer].in_size, "downloading an input gradient");
}

std::vector<float> TrainerProbe::parameter_gradient(std::size_t param) const {
  Trainer::Impl& d = *trainer_.impl_;
  const ParamSlot& s = d.layout.slots.at(param);
  return d.download(d.grads.get() + s.offset, s.count, "downloading a gradient");
}

void TrainerProbe::optimizer_step() {
  Trainer::Impl& d = *trainer_.impl_;
  d.enqueue_update();
  d.sync("the optimiser step");
}

}  // namespace lenet::cuda
