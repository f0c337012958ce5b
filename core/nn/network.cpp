#include "core/nn/network.hpp"

#include <algorithm>
#include <cstring>

#include "core/base/error.hpp"
#include "core/nn/layers/activation.hpp"
#include "core/nn/layers/conv2d.hpp"
#include "core/nn/layers/dense.hpp"
#include "core/nn/layers/pool2d.hpp"

namespace lenet {

namespace {

std::size_t positive_arg(const LayerSpec& s, std::size_t i) { return parse_positive(s.args[i], s.to_string()); }

void expect_args(const LayerSpec& s, std::size_t min, std::size_t max, const char* usage) {
  if (s.args.size() < min || s.args.size() > max)
    throw Error("architecture spec: '" + s.to_string() + "' should be written " + usage);
}

std::unique_ptr<Layer> make_layer(const LayerSpec& s, const Shape& in, std::size_t& convs, std::size_t& denses) {
  if (s.kind == "conv") {
    expect_args(s, 2, 3, "conv(OUT,K) or conv(OUT,K,same|valid|N)");
    const std::size_t out = positive_arg(s, 0), k = positive_arg(s, 1);
    std::string pad_name = s.args.size() == 3 ? s.args[2] : "valid";
    std::size_t pad = 0;
    if (pad_name == "same") {
      if (k % 2 == 0) throw Error("architecture spec: '" + s.to_string() + "': same padding needs an odd kernel size");
      pad = (k - 1) / 2;
    } else if (pad_name != "valid") {
      if (pad_name == "0") {
        pad_name = "valid";
      } else {
        pad = positive_arg(s, 2);
      }
    }
    return std::make_unique<Conv2D>(in, out, k, pad, pad_name, "conv" + std::to_string(++convs));
  }
  if (s.kind == "maxpool" || s.kind == "avgpool") {
    expect_args(s, 0, 1, "maxpool, maxpool(K), avgpool or avgpool(K)");
    const std::size_t k = s.args.empty() ? 2 : positive_arg(s, 0);
    return std::make_unique<Pool2D>(in, s.kind == "maxpool" ? PoolKind::max : PoolKind::average, k);
  }
  if (s.kind == "dense") {
    expect_args(s, 1, 1, "dense(UNITS)");
    return std::make_unique<Dense>(in, positive_arg(s, 0), "fc" + std::to_string(++denses));
  }
  if (s.kind == "flatten" || s.kind == "relu" || s.kind == "tanh" || s.kind == "sigmoid") {
    expect_args(s, 0, 0, s.kind.c_str());
    if (s.kind == "flatten") return std::make_unique<Flatten>(in);
    const ActivationKind kind = s.kind == "relu"   ? ActivationKind::relu
                                : s.kind == "tanh" ? ActivationKind::tanh
                                                   : ActivationKind::sigmoid;
    return std::make_unique<Activation>(in, kind);
  }
  throw Error("architecture spec: unknown layer '" + s.kind +
              "'; layers are conv, maxpool, avgpool, dense, flatten, relu, tanh, sigmoid");
}

}  // namespace

Network::Network(const ArchSpec& arch, bool allocate) : input_(arch.input) {
  if (input_.size() != 3 || shape_size(input_) == 0)
    throw Error("architecture spec: the input must be input(C,H,W) with positive sizes");
  if (!shape_size_within(input_, max_values_per_sample))
    throw Error("architecture spec: input(" + shape_string(input_) + ") has more than " +
                std::to_string(max_values_per_sample) + " values per image");
  Shape shape = input_;
  std::size_t convs = 0, denses = 0, parameters = 0;
  for (const auto& s : arch.layers) {
    try {
      layers_.push_back(make_layer(s, shape, convs, denses));
    } catch (const Error& e) {
      const std::string what = e.what();
      if (what.rfind("architecture spec", 0) == 0) throw;
      throw Error("architecture spec: '" + s.to_string() + "' does not fit its input " + shape_string(shape) + ": " +
                  what);
    }
    shape = layers_.back()->output_shape();
    if (!shape_size_within(shape, max_values_per_sample))
      throw Error("architecture spec: '" + s.to_string() + "' gives " + shape_string(shape) + ", more than " +
                  std::to_string(max_values_per_sample) + " values per image");
    // Layers have only worked out their shapes so far: the total is bounded before any storage exists.
    for (const Parameter* p : layers_.back()->parameters()) {
      if (!shape_size_within(p->shape, max_parameters - parameters))
        throw Error("architecture spec: more than " + std::to_string(max_parameters) + " parameters (at '" +
                    s.to_string() + "', " + p->name + " " + shape_string(p->shape) + ")");
      parameters += shape_size(p->shape);
    }
  }
  // The scores come from a dense layer (activations after it aside): a spec ending in flatten would
  // otherwise pass for a network with one "class" per pixel.
  const auto last_shaping = std::find_if(layers_.rbegin(), layers_.rend(),
                                         [](const auto& l) { return !dynamic_cast<const Activation*>(l.get()); });
  if (last_shaping == layers_.rend() || !dynamic_cast<const Dense*>(last_shaping->get()))
    throw Error("architecture spec: the network must end in dense(CLASSES) giving one score per class, but it ends with " +
                (last_shaping == layers_.rend() ? std::string("activations") : "'" + (*last_shaping)->spec() + "'") +
                " (shape " + shape_string(shape) + ")");
  if (shape[0] < 2) throw Error("architecture spec: the last layer must have at least 2 classes");
  classes_ = shape[0];
  if (allocate)
    for (auto& l : layers_) l->allocate_parameters();
  activations_.resize(layers_.size() + 1);
  gradients_.resize(layers_.size() + 1);
}

std::vector<ParameterShape> Network::parameter_shapes(const ArchSpec& arch) {
  const Network unallocated(arch, false);
  std::vector<ParameterShape> shapes;
  for (const auto& l : unallocated.layers_)
    for (const Parameter* p : l->parameters()) shapes.push_back({p->name, p->shape});
  return shapes;
}

Network::Network(const Network& other) { *this = other; }

Network& Network::operator=(const Network& other) {
  if (this == &other) return *this;
  input_ = other.input_;
  classes_ = other.classes_;
  layers_.clear();
  for (const auto& l : other.layers_) layers_.push_back(l->clone());
  activations_.assign(layers_.size() + 1, Tensor());
  gradients_.assign(layers_.size() + 1, Tensor());
  return *this;
}

std::string Network::spec() const {
  // The layers' own tokens, so defaults written out ("maxpool" -> "maxpool(2)") are canonical.
  std::string s = ArchSpec{input_, {}}.to_string();
  for (const auto& l : layers_) {
    s += ' ';
    s += l->spec();
  }
  return s;
}

std::vector<Parameter*> Network::parameters() {
  std::vector<Parameter*> out;
  for (auto& l : layers_)
    for (Parameter* p : l->parameters()) out.push_back(p);
  return out;
}

std::vector<const Parameter*> Network::parameters() const {
  std::vector<const Parameter*> out;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    for (const Parameter* p : layer_parameters(i)) out.push_back(p);
  return out;
}

std::vector<const Parameter*> Network::layer_parameters(std::size_t i) const {
  const std::vector<Parameter*> own = layers_.at(i)->parameters();
  return {own.begin(), own.end()};
}

std::size_t Network::parameter_count() const {
  std::size_t n = 0;
  for (const Parameter* p : parameters()) n += p->value.size();
  return n;
}

void Network::initialize(Rng& rng, Init init) {
  for (auto& l : layers_) l->initialize(init, rng);
}

const Tensor& Network::forward(const Tensor& x) {
  if (x.dimension() != 4 || !std::equal(input_.begin(), input_.end(), x.shape().begin() + 1))
    throw Error("network input must be [n," + std::to_string(input_[0]) + "," + std::to_string(input_[1]) + "," +
                std::to_string(input_[2]) + "]");
  // The input is copied so that backward() still has it if the caller reuses its buffer.
  ensure_shape_like(activations_[0], x);
  std::copy(x.data(), x.data() + x.size(), activations_[0].data());
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->forward(activations_[i], activations_[i + 1]);
  return activations_.back();
}

void Network::backward(const Tensor& dlogits) {
  const Tensor& logits = activations_.back();
  if (dlogits.shape() != logits.shape()) throw Error("backward: the gradient's shape differs from the logits'");
  for (std::size_t i = layers_.size(); i-- > 0;) {
    const Tensor& dy = i + 1 == layers_.size() ? dlogits : gradients_[i + 1];
    layers_[i]->backward(activations_[i], activations_[i + 1], dy, i == 0 ? nullptr : &gradients_[i]);
  }
}

void Network::copy_parameters_from(const Network& other) {
  auto mine = parameters();
  auto theirs = other.parameters();
  if (mine.size() != theirs.size()) throw Error("copy_parameters_from: the networks' architectures differ");
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (mine[i]->value.shape() != theirs[i]->value.shape())
      throw Error("copy_parameters_from: parameter " + mine[i]->name + " has a different shape");
    std::copy(theirs[i]->value.data(), theirs[i]->value.data() + theirs[i]->value.size(), mine[i]->value.data());
  }
}

}  // namespace lenet
