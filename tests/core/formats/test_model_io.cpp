#include <doctest/doctest.h>

#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"
#include "support/layer_checks.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;

TEST_CASE("model files: a saved network loads with the same logits and metadata") {
  Rng rng(21);
  Network net("lenet5-rowe98");
  net.initialize(rng);
  ModelInfo info;
  info.normalization = {0.1307f, 0.3081f};
  info.recipe = "rowe98";
  info.dataset = "mnist";
  info.test_accuracy = "0.9876";
  info.trainer_version = "lenet-train test";
  info.extra["epochs"] = "30";
  const std::string path = lenet::testing::tmp_path("model.safetensors");
  save_model(path, net, info);

  Model back = load_model(path);
  CHECK(back.network.spec() == net.spec());
  CHECK(back.info.normalization.mean == doctest::Approx(0.1307f));
  CHECK(back.info.normalization.std == doctest::Approx(0.3081f));
  CHECK(back.info.recipe == "rowe98");
  CHECK(back.info.test_accuracy == "0.9876");
  CHECK(back.info.extra.at("epochs") == "30");
  const Tensor x = lenet::testing::random_tensor({2, 1, 28, 28}, rng, 0, 1);
  CHECK(back.network.forward(x) == net.forward(x));

  const SafetensorsFile file = load_safetensors(path);
  CHECK(file.metadata.at("arch") == net.spec());
  CHECK(file.metadata.at("input_shape") == "1x28x28");
  CHECK(file.metadata.at("parameters") == "331214");
}

TEST_CASE("model files: weights that do not fit the architecture are refused with a clear error") {
  Rng rng(22);
  Network net("lenet5");
  net.initialize(rng);
  const SafetensorsFile good = to_safetensors(net, {});
  auto error = [](const SafetensorsFile& f) {
    try {
      model_from_safetensors(f, "m.safetensors");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(good) == "no error");

  SafetensorsFile no_arch = good;
  no_arch.metadata.erase("arch");
  CHECK(error(no_arch).find("no 'arch' in the metadata") != std::string::npos);

  SafetensorsFile other_arch = good;  // weights of lenet5 claimed to be lenet
  other_arch.metadata["arch"] = "lenet";
  CHECK(error(other_arch).find("tensor 'conv1.weight' has shape 6x1x5x5 but the architecture needs 20x1x5x5") !=
        std::string::npos);

  SafetensorsFile missing = good;
  missing.tensors.erase(missing.tensors.begin() + 3);
  CHECK(error(missing).find("is missing for architecture") != std::string::npos);

  SafetensorsFile extra = good;
  extra.tensors.push_back({"fc9.weight", {1}, {0}});
  CHECK(error(extra).find("tensor 'fc9.weight' does not belong to architecture") != std::string::npos);

  SafetensorsFile checkpoint = good;  // optimizer state rides along in checkpoints
  checkpoint.tensors.push_back({"optimizer.adam_m.conv1.weight", {1}, {0}});
  CHECK(error(checkpoint) == "no error");

  SafetensorsFile nan = good;
  nan.tensors[0].data[0] = std::numeric_limits<float>::quiet_NaN();
  CHECK(error(nan).find("NaN") != std::string::npos);

  SafetensorsFile bad_arch = good;
  bad_arch.metadata["arch"] = "input(1,28,28) wobble dense(10)";
  CHECK(error(bad_arch).find("m.safetensors: architecture spec: unknown layer 'wobble'") != std::string::npos);

  // A 140 KB file whose spec asks for 3 GB is refused by comparing shapes, before any allocation
  // (the spec stays within the bounds, so only the comparison can catch it this early).
  SafetensorsFile huge = good;
  huge.metadata["arch"] = "input(1,28,28) conv(6,5,2) tanh avgpool(2) sigmoid conv(16,5,valid) tanh avgpool(2) "
                          "sigmoid conv(120,5,valid) tanh flatten dense(100000) tanh dense(10)";
  CHECK(error(huge).find("tensor 'fc1.weight' has shape 84x120 but the architecture needs 100000x120") !=
        std::string::npos);

  // At most four tensors a parameter (weights, two Adam moments, best weights) and a few more.
  SafetensorsFile padded = good;
  for (int i = 0; i < 40; ++i) padded.tensors.push_back({"optimizer.x" + std::to_string(i), {0}, {}});
  CHECK(error(padded).find("holds 50 tensors, more than architecture") != std::string::npos);

  SafetensorsFile bad_norm = good;
  bad_norm.metadata["normalization_std"] = "zero";
  CHECK(error(bad_norm).find("normalization_std is 'zero', not a number") != std::string::npos);
}
