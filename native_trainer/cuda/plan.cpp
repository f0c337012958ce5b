#include "native_trainer/cuda/plan.hpp"

#include <algorithm>
#include <limits>

#include "core/base/error.hpp"
#include "core/nn/layers/activation.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/layers/dense.hpp"
#include "core/nn/layers/pool2d.hpp"

namespace lenet::cuda {

namespace {

int to_int(std::size_t v, const std::string& what) {
  if (v > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error("--device cuda: " + what + " is too large for the CUDA path");
  return static_cast<int>(v);
}

}  // namespace

std::vector<LayerOp> plan_layers(const Network& net) {
  std::vector<LayerOp> ops;
  Shape in = net.input_shape();
  std::size_t param = 0;
  for (std::size_t i = 0; i < net.layer_count(); ++i) {
    const Layer& layer = net.layer(i);
    const Shape out = layer.output_shape();
    LayerOp op;
    op.spec = layer.spec();
    op.in_size = shape_size(in);
    op.out_size = shape_size(out);
    if (const auto* conv = dynamic_cast<const Conv2D*>(&layer)) {
      const ConvGeometry g = conv->geometry();
      op.kind = OpKind::conv;
      op.conv = GpuConvGeometry{to_int(g.in_channels, op.spec),  to_int(g.height, op.spec), to_int(g.width, op.spec),
                                to_int(g.out_channels, op.spec), to_int(g.kernel, op.spec), to_int(g.padding, op.spec),
                                to_int(g.out_height, op.spec),   to_int(g.out_width, op.spec)};
      op.param = param;
      param += 2;
    } else if (const auto* pool = dynamic_cast<const Pool2D*>(&layer)) {
      op.kind = OpKind::pool;
      op.pool = PoolGeom{to_int(in.at(0), op.spec),        to_int(in.at(1), op.spec),  to_int(in.at(2), op.spec),
                         to_int(pool->window(), op.spec), to_int(out.at(1), op.spec), to_int(out.at(2), op.spec),
                         pool->kind() == PoolKind::max};
    } else if (dynamic_cast<const Dense*>(&layer)) {
      op.kind = OpKind::dense;
      op.param = param;
      param += 2;
    } else if (const auto* activation = dynamic_cast<const Activation*>(&layer)) {
      op.kind = OpKind::activation;
      op.act = activation->kind();
    } else if (dynamic_cast<const Flatten*>(&layer)) {
      op.kind = OpKind::flatten;
    } else {
      throw Error("--device cuda: the CUDA path has no '" + op.spec + "' layer");
    }
    to_int(op.in_size, op.spec + "'s input");
    to_int(op.out_size, op.spec + "'s output");
    ops.push_back(op);
    in = out;
  }
  if (param != net.parameters().size())
    throw Error("--device cuda: the network's parameters do not follow its layers (weight, bias per layer)");
  return ops;
}

ParamLayout layout_parameters(const Network& net) {
  ParamLayout layout;
  for (const Parameter* p : net.parameters()) {
    ParamSlot slot{p->name, Shape(p->value.shape().begin(), p->value.shape().end()), layout.total, p->value.size()};
    layout.total += (slot.count + param_alignment - 1) / param_alignment * param_alignment;
    layout.slots.push_back(std::move(slot));
  }
  return layout;
}

std::vector<float> pack_parameters(const Network& net, const ParamLayout& layout) {
  const auto params = net.parameters();
  if (params.size() != layout.slots.size()) throw Error("pack_parameters: the layout is of another network");
  std::vector<float> flat(layout.total, 0.0f);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const ParamSlot& s = layout.slots[i];
    if (params[i]->name != s.name || params[i]->value.size() != s.count)
      throw Error("pack_parameters: parameter " + params[i]->name + " does not match the layout's " + s.name);
    std::copy(params[i]->value.data(), params[i]->value.data() + s.count, flat.begin() + s.offset);
  }
  return flat;
}

void unpack_parameters(const std::vector<float>& flat, const ParamLayout& layout, Network& net) {
  const auto params = net.parameters();
  if (params.size() != layout.slots.size() || flat.size() != layout.total)
    throw Error("unpack_parameters: the layout is of another network");
  for (std::size_t i = 0; i < params.size(); ++i) {
    const ParamSlot& s = layout.slots[i];
    if (params[i]->name != s.name || params[i]->value.size() != s.count)
      throw Error("unpack_parameters: parameter " + params[i]->name + " does not match the layout's " + s.name);
    std::copy(flat.begin() + s.offset, flat.begin() + s.offset + s.count, params[i]->value.data());
  }
}

namespace {
Tensor& state_tensor(Optimizer& opt, const std::string& name, std::size_t count) {
  for (auto& [n, t] : opt.state())
    if (n == name) {
      if (t->size() != count) throw Error("optimiser state " + name + " has the wrong size");
      return *t;
    }
  throw Error("the optimiser has no state " + name);
}
}  // namespace

std::vector<float> pack_state(Optimizer& opt, const std::string& prefix, const ParamLayout& layout) {
  std::vector<float> flat(layout.total, 0.0f);
  for (const ParamSlot& s : layout.slots) {
    const Tensor& t = state_tensor(opt, prefix + "." + s.name, s.count);
    std::copy(t.data(), t.data() + s.count, flat.begin() + s.offset);
  }
  return flat;
}

void unpack_state(const std::vector<float>& flat, const std::string& prefix, const ParamLayout& layout,
                  Optimizer& opt) {
  if (flat.size() != layout.total) throw Error("unpack_state: the layout is of another network");
  for (const ParamSlot& s : layout.slots) {
    Tensor& t = state_tensor(opt, prefix + "." + s.name, s.count);
    std::copy(flat.begin() + s.offset, flat.begin() + s.offset + s.count, t.data());
  }
}

std::vector<std::string> OptimizerSettings::slots() const {
  if (kind == Kind::adam) return {"adam_m", "adam_v"};
  if (sgd.momentum != 0.0f) return {"momentum"};
  return {};
}

OptimizerSettings optimizer_settings(const Optimizer& opt) {
  OptimizerSettings s;
  if (const auto* sgd = dynamic_cast<const Sgd*>(&opt)) {
    const SgdConfig& c = sgd->config();
    s.kind = OptimizerSettings::Kind::sgd;
    s.learning_rate = c.learning_rate;
    s.sgd = SgdHyper{c.momentum, c.weight_decay, c.nesterov};
    return s;
  }
  if (const auto* adam = dynamic_cast<const Adam*>(&opt)) {
    const AdamConfig& c = adam->config();
    s.kind = OptimizerSettings::Kind::adam;
    s.learning_rate = c.learning_rate;
    s.adam = AdamHyper{c.beta1, c.beta2, c.epsilon, c.weight_decay};
    return s;
  }
  throw Error("--device cuda: the CUDA path has no optimiser '" + opt.name() + "'");
}

ColumnMajorGemm row_major_gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                               const float* b, int ldb, float* c, int ldc) {
  return ColumnMajorGemm{trans_b, trans_a, n, m, k, b, ldb, a, lda, c, ldc};
}

std::vector<std::uint32_t> device_order(const std::size_t* order, std::size_t count) {
  std::vector<std::uint32_t> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (order[i] > std::numeric_limits<std::uint32_t>::max())
      throw Error("--device cuda: image index " + std::to_string(order[i]) + " does not fit the device's 32 bits");
    out[i] = static_cast<std::uint32_t>(order[i]);
  }
  return out;
}

}  // namespace lenet::cuda
