// Host-side tests of the CUDA path's plan, no GPU needed: the layer plan of each preset, the flat
// parameter layout, packing between a Network / an Optimizer's named state and device buffers,
// the epoch order's 32-bit form, and the device check's sentence.
#include <doctest/doctest.h>

#include <limits>

#include "core/base/error.hpp"
#include "native_trainer/cuda/plan.hpp"
#include "native_trainer/cuda/trainer.hpp"

using namespace lenet;
using namespace lenet::cuda;

TEST_CASE("cuda plan: the three presets become the layer geometry the kernels expect") {
  const auto lenet = plan_layers(Network("lenet"));
  REQUIRE(lenet.size() == 10);
  CHECK(lenet[0].kind == OpKind::conv);
  CHECK(lenet[0].conv.in_channels == 1);
  CHECK(lenet[0].conv.kernel == 5);
  CHECK(lenet[0].conv.padding == 2);
  CHECK(lenet[0].conv.out_height == 28);
  CHECK(lenet[0].conv.patch_size() == 25);
  CHECK(lenet[0].param == 0);
  CHECK(lenet[2].kind == OpKind::pool);
  CHECK(lenet[2].pool.max);
  CHECK(lenet[2].pool.oh == 14);
  CHECK(lenet[3].conv.in_channels == 20);
  CHECK(lenet[3].conv.out_channels == 50);
  CHECK(lenet[3].param == 2);
  CHECK(lenet[6].kind == OpKind::flatten);
  CHECK(lenet[7].kind == OpKind::dense);
  CHECK(lenet[7].in_size == 2450);
  CHECK(lenet[7].out_size == 500);
  CHECK(lenet[7].param == 4);
  CHECK(lenet[9].param == 6);

  const auto lenet5 = plan_layers(Network("lenet5"));
  CHECK(lenet5[0].conv.padding == 2);  // conv(6,5,2): the padded 32x32 input
  CHECK(lenet5[0].conv.out_height == 28);
  CHECK(lenet5[1].act == ActivationKind::tanh);
  CHECK(!lenet5[2].pool.max);
  CHECK(lenet5[3].act == ActivationKind::sigmoid);
  CHECK(lenet5[4].conv.padding == 0);
  CHECK(lenet5[4].conv.out_height == 10);
  CHECK(lenet5[8].conv.out_height == 1);
  CHECK(lenet5[8].conv.out_channels == 120);

  const auto rowe = plan_layers(Network("lenet5-rowe98"));
  CHECK(rowe[6].conv.out_channels == 32);
  CHECK(rowe[6].conv.out_height == 7);
}

TEST_CASE("cuda plan: parameters sit at aligned offsets under PyTorch's names and round-trip through the flat buffer") {
  Network net("lenet");
  Rng rng(1);
  net.initialize(rng);
  const ParamLayout layout = layout_parameters(net);
  REQUIRE(layout.slots.size() == 8);
  CHECK(layout.slots[0].name == "conv1.weight");
  CHECK(layout.slots[0].shape == Shape{20, 1, 5, 5});
  CHECK(layout.slots[5].name == "fc1.bias");
  std::size_t end = 0;
  for (const ParamSlot& s : layout.slots) {
    CHECK(s.offset % param_alignment == 0);
    CHECK(s.offset >= end);
    end = s.offset + s.count;
  }
  CHECK(layout.total >= end);
  CHECK(layout.total < end + param_alignment);

  const std::vector<float> flat = pack_parameters(net, layout);
  CHECK(flat[layout.slots[2].offset + 7] == net.parameters()[2]->value.data()[7]);
  CHECK(flat[layout.slots[0].count] == 0.0f);  // padding stays zero
  Network other("lenet");
  unpack_parameters(flat, layout, other);
  for (std::size_t i = 0; i < 8; ++i) CHECK(other.parameters()[i]->value == net.parameters()[i]->value);

  Network small("lenet5");
  CHECK_THROWS_AS(pack_parameters(small, layout), Error);
  CHECK_THROWS_AS(unpack_parameters(flat, layout, small), Error);
}

TEST_CASE("cuda plan: optimiser state packs by its checkpoint names") {
  Network net("lenet5");
  const ParamLayout layout = layout_parameters(net);
  Adam adam(net.parameters(), AdamConfig{});
  auto state = adam.state();
  for (auto& [name, t] : state)
    for (std::size_t i = 0; i < t->size(); ++i) t->data()[i] = static_cast<float>(name.size() + i);
  const std::vector<float> m = pack_state(adam, "adam_m", layout);
  const std::vector<float> v = pack_state(adam, "adam_v", layout);
  const ParamSlot& fc1 = layout.slots[6];
  REQUIRE(fc1.name == "fc1.weight");
  CHECK(m[fc1.offset + 3] == static_cast<float>(std::string("adam_m.fc1.weight").size() + 3));
  Adam fresh(net.parameters(), AdamConfig{});
  unpack_state(m, "adam_m", layout, fresh);
  unpack_state(v, "adam_v", layout, fresh);
  auto a = adam.state(), b = fresh.state();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(*a[i].second == *b[i].second);
  CHECK_THROWS_AS(pack_state(adam, "momentum", layout), Error);

  Sgd sgd(net.parameters(), SgdConfig{0.01f, 0.9f, false, 0.0f});
  CHECK(pack_state(sgd, "momentum", layout).size() == layout.total);
}

TEST_CASE("cuda plan: the epoch order becomes 32-bit indices, and a larger index is refused") {
  const std::size_t order[] = {3, 0, 2, 1};
  CHECK(device_order(order, 4) == std::vector<std::uint32_t>{3, 0, 2, 1});
  const std::size_t too_big[] = {std::size_t{std::numeric_limits<std::uint32_t>::max()} + 1};
  CHECK_THROWS_AS(device_order(too_big, 1), Error);
}

TEST_CASE("cuda plan: valid convolutions and ragged average pools plan too") {
  CHECK_NOTHROW(plan_layers(Network("input(1,8,8) conv(2,3) sigmoid avgpool(3) flatten dense(2)")));
}

TEST_CASE("cuda: without a usable GPU the reason is one sentence naming --device cuda") {
  const std::string why = unavailable_reason();
  if (why.empty()) {
    MESSAGE("a CUDA GPU is present: nothing to check here");
    return;
  }
  CHECK(why.rfind("--device cuda: ", 0) == 0);
  CHECK(why.find('\n') == std::string::npos);
  Network net("lenet5");
  Sgd sgd(net.parameters(), SgdConfig{});
  CHECK_THROWS_WITH_AS(Trainer(net, sgd, 32), why.c_str(), Error);
}
