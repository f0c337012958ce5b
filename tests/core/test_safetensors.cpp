#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/safetensors.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;
using lenet::testing::tmp_path;

namespace {

SafetensorsFile sample() {
  SafetensorsFile f;
  f.metadata = {{"arch", "input(1,28,28) dense(10)"}, {"test_accuracy", "0.99"}};
  f.tensors.push_back({"fc1.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
  f.tensors.push_back({"conv1.weight", {1, 1, 2, 2}, {-1, 0.5f, 0.25f, 8}});
  f.tensors.push_back({"fc1.bias", {2}, {7, 9}});
  return f;
}

// Builds a file from a header written by hand and a buffer, as another tool might write it.
std::vector<std::uint8_t> raw_file(const std::string& header, const std::vector<float>& values) {
  std::vector<std::uint8_t> out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(std::uint64_t{header.size()} >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
  out.insert(out.end(), p, p + values.size() * 4);
  return out;
}

std::string parse_error(const std::vector<std::uint8_t>& b) {
  try {
    parse_safetensors(b.data(), b.size(), "m.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("safetensors: round trip keeps metadata, names, shapes and values; layout follows the spec") {
  const auto bytes = serialize_safetensors(sample());
  std::uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  CHECK(n % 8 == 0);
  const auto header = nlohmann::json::parse(std::string(bytes.begin() + 8, bytes.begin() + 8 + n));
  // Tensors are laid out in name order: conv1.weight, fc1.bias, fc1.weight.
  CHECK(header["conv1.weight"]["data_offsets"] == nlohmann::json::array({0, 16}));
  CHECK(header["fc1.bias"]["data_offsets"] == nlohmann::json::array({16, 24}));
  CHECK(header["fc1.weight"]["data_offsets"] == nlohmann::json::array({24, 48}));
  CHECK(header["fc1.weight"]["dtype"] == "F32");
  CHECK(bytes.size() == 8 + n + 48);

  const SafetensorsFile back = parse_safetensors(bytes.data(), bytes.size(), "m");
  CHECK(back.metadata == sample().metadata);
  REQUIRE(back.tensors.size() == 3);
  for (const auto& t : sample().tensors) {
    const NamedTensor* b = back.find(t.name);
    REQUIRE(b);
    CHECK(b->shape == t.shape);
    CHECK(b->data == t.data);
  }
  CHECK(back.find("nope") == nullptr);
}

TEST_CASE("safetensors: a file as Python's safetensors writes it parses") {
  const auto file = raw_file(
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("a":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]}}      )",
      {1, 2, 3, 4});
  const auto f = parse_safetensors(file.data(), file.size(), "py");
  CHECK(f.metadata.at("format") == "pt");
  CHECK(f.find("b")->data == std::vector<float>{1, 2});
  CHECK(f.find("a")->data == std::vector<float>{3, 4});
  CHECK(f.find("a")->shape == std::vector<std::size_t>{1, 2});
}

TEST_CASE("safetensors: each malformed file gives one clear error") {
  const std::string t = R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  CHECK(parse_error({1, 2, 3}) == "m.safetensors: too short for a safetensors file (3 bytes)");
  auto too_long = raw_file("{" + t + "}", {1, 2});
  too_long[0] = 200;
  CHECK(parse_error(too_long) == "m.safetensors: header length 200 runs past the end of the file (70 bytes)");
  auto absurd = too_long;
  absurd[7] = 1;
  CHECK(parse_error(absurd).find("is absurd") != std::string::npos);
  CHECK(parse_error(raw_file("{not json", {})).find("not valid JSON") != std::string::npos);
  CHECK(parse_error(raw_file("[1,2]", {})).find("not a JSON object") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2]}})", {1, 2})).find("needs dtype, shape and data_offsets") !=
        std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})", {1, 2})) ==
        "m.safetensors: tensor 'w' has dtype F16; only F32 is supported");
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", {1, 2}))
            .find("not a non-negative whole number") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", {1, 2}))
            .find("end before they begin") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", {1, 2}))
            .find("past the end of the data (8 bytes)") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", {1, 2}))
            .find("has 8 bytes of data, but its shape needs 12") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                             {1, 2, 3}))
            .find("overlaps") != std::string::npos);
  CHECK(parse_error(raw_file("{" + t + "}", {1, 2, 3})).find("the last 4 bytes of the data belong to no tensor") !=
        std::string::npos);
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", {1, 2}))
            .find("bytes 0..4 of the data belong to no tensor") != std::string::npos);
  CHECK(parse_error(raw_file(R"({"__metadata__":{"a":1}})", {})).find("value for 'a' is not a string") !=
        std::string::npos);

  SafetensorsFile dup = sample();
  dup.tensors.push_back(dup.tensors[0]);
  CHECK_THROWS_WITH_AS(serialize_safetensors(dup), doctest::Contains("appears twice"), Error);
  SafetensorsFile wrong = sample();
  wrong.tensors[0].shape = {5};
  CHECK_THROWS_WITH_AS(serialize_safetensors(wrong), doctest::Contains("its shape needs 5"), Error);
}

TEST_CASE("safetensors: saving is atomic and leaves no temporary files") {
  namespace fs = std::filesystem;
  const fs::path dir = tmp_path("atomic");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "m.safetensors").string();
  save_safetensors(path, sample());
  CHECK(load_safetensors(path).tensors.size() == 3);
  // A failed write (its folder does not exist) throws and leaves the old file as it was.
  CHECK_THROWS_AS(save_safetensors((dir / "missing" / "m.safetensors").string(), sample()), Error);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++files;
    CHECK(entry.path().filename() == "m.safetensors");
  }
  CHECK(files == 1);
  CHECK_THROWS_WITH_AS(load_safetensors((dir / "none.safetensors").string()), doctest::Contains("cannot open"), Error);
}
