#pragma once
// Host-side plan of the CUDA training path, plain C++ (no CUDA headers), tested without a GPU:
//  - the layer plan: the geometry each kernel needs, asked of the network's layer objects;
//  - the parameter layout: every parameter (PyTorch name, shape) at an aligned offset of one flat
//    float buffer, so the optimiser is one kernel over all of them and weights, gradients and
//    optimiser slots share one layout; pack/unpack move them between a Network (and an
//    Optimizer's named state) and that buffer;
//  - the epoch order as 32-bit indices for the device.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/network.hpp"
#include "core/nn/optimizer.hpp"
#include "native_trainer/cuda/device_math.hpp"

namespace lenet::cuda {

enum class OpKind { conv, pool, dense, activation, flatten };

struct LayerOp {
  OpKind kind;
  std::string spec;            // the layer's token, for messages
  std::size_t in_size = 0;     // per-sample input and output element counts
  std::size_t out_size = 0;
  GpuConvGeometry conv{};      // conv
  PoolGeom pool{};             // pool
  ActivationKind act = ActivationKind::relu;         // activation
  std::size_t param = 0;       // conv, dense: index of the weight in the layout (the bias follows)
};

// Throws lenet::Error for a layer the CUDA path does not have.
std::vector<LayerOp> plan_layers(const Network& net);

struct ParamSlot {
  std::string name;  // "conv1.weight"
  Shape shape;
  std::size_t offset = 0, count = 0;
};

struct ParamLayout {
  std::vector<ParamSlot> slots;  // in Network::parameters() order
  std::size_t total = 0;         // floats in the flat buffer, padding included
};

inline constexpr std::size_t param_alignment = 64;  // floats (256 bytes), cuBLAS's preferred alignment

ParamLayout layout_parameters(const Network& net);
std::vector<float> pack_parameters(const Network& net, const ParamLayout& layout);
void unpack_parameters(const std::vector<float>& flat, const ParamLayout& layout, Network& net);

// The optimiser's named state ("momentum.conv1.weight", "adam_m.fc1.bias", ...) for one slot
// prefix, packed in the layout's order. Throws if a tensor is missing or has the wrong size.
std::vector<float> pack_state(Optimizer& opt, const std::string& prefix, const ParamLayout& layout);
void unpack_state(const std::vector<float>& flat, const std::string& prefix, const ParamLayout& layout, Optimizer& opt);

// What the device needs of an optimiser: which rule and its hyper-parameters (core's Sgd/Adam).
struct OptimizerSettings {
  enum class Kind { sgd, adam } kind = Kind::sgd;
  float learning_rate = 0.01f;
  SgdHyper sgd{0.0f, 0.0f, false};
  AdamHyper adam{0.9f, 0.999f, 1e-7f, 0.0f};
  // Optimiser state slots, in core's names: {"momentum"} for SGD with momentum, {} without,
  // {"adam_m", "adam_v"} for Adam.
  std::vector<std::string> slots() const;
};
OptimizerSettings optimizer_settings(const Optimizer& opt);

// cuBLAS is column-major; the project's matrices are row-major (core/kernels/gemm.hpp's convention:
// C[m,n] = alpha op(A)[m,k] op(B)[k,n] + beta C, lda/ldb/ldc the row lengths in memory). A row-major
// C is the column-major C^T = op(B)^T op(A)^T, so the call swaps the operands and keeps the
// transpose flags. This is the argument list of that cublasSgemm call.
struct ColumnMajorGemm {
  bool trans_first, trans_second;  // cublasSgemm's transa, transb
  int m, n, k;
  const float* first;  // cublasSgemm's A
  int ld_first;
  const float* second;  // cublasSgemm's B
  int ld_second;
  float* c;
  int ldc;
};
ColumnMajorGemm row_major_gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                               const float* b, int ldb, float* c, int ldc);

// order[first .. first + count) as the device's 32-bit indices; throws if an index does not fit.
std::vector<std::uint32_t> device_order(const std::size_t* order, std::size_t count);

}  // namespace lenet::cuda
