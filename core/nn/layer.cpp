#include "core/nn/layer.hpp"

namespace lenet {

void Layer::allocate_parameters() {
  for (Parameter* p : parameters()) {
    p->value = Tensor::from_shape(p->shape);
    p->grad = Tensor::from_shape(p->shape);
    p->value.fill(0.0f);
    p->grad.fill(0.0f);
  }
}

}  // namespace lenet
