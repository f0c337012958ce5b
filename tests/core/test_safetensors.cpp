#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/random.hpp"
#include "core/safetensors.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;
namespace fs = std::filesystem;

namespace {

SafetensorsFile sample() {
  SafetensorsFile f;
  f.metadata = {{"arch", "input(1,28,28) dense(10)"}, {"test_accuracy", "0.99"}};
  f.tensors.push_back({"fc1.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
  f.tensors.push_back({"conv1.weight", {1, 1, 2, 2}, {-1, 0.5f, 0.25f, 8}});
  f.tensors.push_back({"fc1.bias", {2}, {7, 9}});
  return f;
}

void append_u64_le(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Builds a file from a header written by hand and a buffer, as another tool might write it.
std::vector<std::uint8_t> raw_file(const std::string& header, const std::vector<float>& values) {
  std::vector<std::uint8_t> out;
  append_u64_le(out, header.size());
  out.insert(out.end(), header.begin(), header.end());
  for (float v : values) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  return out;
}

// A header holding one entry for tensor 'w' (and nothing else).
std::vector<std::uint8_t> one_tensor(const std::string& entry, const std::vector<float>& values) {
  return raw_file(R"({"w":)" + entry + "}", values);
}

std::string parse_error(const std::vector<std::uint8_t>& b) {
  try {
    parse_safetensors(b.data(), b.size(), "m.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = lenet::testing::tmp_path(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("safetensors: round trip keeps metadata, names, shapes and values; layout follows the spec") {
  const auto bytes = serialize_safetensors(sample());
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= std::uint64_t{bytes[i]} << (8 * i);  // little-endian header length
  CHECK(n % 8 == 0);
  REQUIRE(bytes.size() == 8 + n + 48);
  const std::string text(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  CHECK(text.rfind(R"({"__metadata__":{"arch":)", 0) == 0);  // metadata first, as the reference writes it
  CHECK(text.find_first_not_of(' ', text.find_last_of('}') + 1) == std::string::npos);  // padded with spaces

  const auto header = nlohmann::json::parse(text);
  CHECK(header.size() == 4);
  // Tensors are laid out in name order: conv1.weight, fc1.bias, fc1.weight.
  CHECK(header["conv1.weight"]["data_offsets"] == nlohmann::json::array({0, 16}));
  CHECK(header["conv1.weight"]["shape"] == nlohmann::json::array({1, 1, 2, 2}));
  CHECK(header["fc1.bias"]["data_offsets"] == nlohmann::json::array({16, 24}));
  CHECK(header["fc1.weight"]["data_offsets"] == nlohmann::json::array({24, 48}));
  CHECK(header["fc1.weight"]["dtype"] == "F32");
  CHECK(header["__metadata__"]["test_accuracy"] == "0.99");
  // The buffer holds the little-endian floats at those offsets: fc1.bias[1] = 9.0f = 0x41100000.
  const std::uint8_t* buffer = bytes.data() + 8 + n;
  CHECK(std::vector<std::uint8_t>(buffer + 20, buffer + 24) == std::vector<std::uint8_t>{0x00, 0x00, 0x10, 0x41});

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

  // No metadata: no __metadata__ entry; a scalar and an empty tensor round-trip too.
  SafetensorsFile bare;
  bare.tensors.push_back({"scalar", {}, {2.5f}});
  bare.tensors.push_back({"empty", {0, 3}, {}});
  const auto bare_bytes = serialize_safetensors(bare);
  const SafetensorsFile bare_back = parse_safetensors(bare_bytes.data(), bare_bytes.size(), "m");
  CHECK(bare_back.metadata.empty());
  CHECK(bare_back.find("scalar")->data == std::vector<float>{2.5f});
  CHECK(bare_back.find("empty")->shape == std::vector<std::size_t>{0, 3});
  CHECK(bare_back.find("empty")->data.empty());
}

TEST_CASE("safetensors: byte for byte what Python's safetensors writes, both ways") {
  // save_file({"a": tensor([[3., 4.]]), "b": tensor([1., 2.])}, f, metadata={"format": "pt"}) with
  // the a-before-b layout: 141 bytes of JSON padded to 144 (0x90), then the floats.
  const std::string json =
      R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}   )";
  std::vector<std::uint8_t> python = {0x90, 0, 0, 0, 0, 0, 0, 0};
  python.insert(python.end(), json.begin(), json.end());
  python.insert(python.end(), {0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40});

  const auto f = parse_safetensors(python.data(), python.size(), "py");
  CHECK(f.metadata == std::map<std::string, std::string>{{"format", "pt"}});
  CHECK(f.find("a")->shape == std::vector<std::size_t>{1, 2});
  CHECK(f.find("a")->data == std::vector<float>{3, 4});
  CHECK(f.find("b")->data == std::vector<float>{1, 2});
  CHECK(serialize_safetensors(f) == python);

  // Another writer may order the buffer differently from the header; only the offsets count.
  const auto reordered = raw_file(R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},)"
                                  R"("a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}})",
                                  {3, 4, 1, 2});
  const auto g = parse_safetensors(reordered.data(), reordered.size(), "other");
  CHECK(g.find("a")->data == std::vector<float>{3, 4});
  CHECK(g.find("b")->data == std::vector<float>{1, 2});
}

TEST_CASE("safetensors: each malformed file gives one clear error") {
  const std::string w = R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  CHECK(parse_error({1, 2, 3}) == "m.safetensors: too short for a safetensors file (3 bytes)");

  auto too_long = one_tensor(w, {1, 2});
  too_long[0] = 200;
  CHECK(parse_error(too_long) == "m.safetensors: header length 200 runs past the end of the file (70 bytes)");
  auto absurd = too_long;
  absurd[7] = 1;
  CHECK(parse_error(absurd) == "m.safetensors: header length 72057594037928136 is absurd; not a safetensors file?");

  CHECK(parse_error(raw_file("{not json", {})) == "m.safetensors: the header is not valid JSON");
  CHECK(parse_error(raw_file("{\"w\xff\":1}", {})) == "m.safetensors: the header is not valid JSON");  // bad UTF-8
  CHECK(parse_error(raw_file("[1,2]", {})) == "m.safetensors: the header is not a JSON object");
  CHECK(parse_error(raw_file(" {}", {})) == "m.safetensors: the header must start with '{'");

  const auto error_for = [](const std::string& entry, const std::vector<float>& values) {
    return parse_error(one_tensor(entry, values));
  };
  const std::string t = "m.safetensors: tensor 'w'";
  CHECK(error_for("5", {}) == t + " must be an object with dtype, shape and data_offsets");
  CHECK(error_for(R"({"shape":[2],"data_offsets":[0,8]})", {1, 2}) == t + " has no dtype");
  CHECK(error_for(R"({"dtype":"F32","data_offsets":[0,8]})", {1, 2}) == t + " has no shape");
  CHECK(error_for(R"({"dtype":"F32","shape":[2]})", {1, 2}) == t + " has no data_offsets");
  CHECK(error_for(R"({"dtype":32,"shape":[2],"data_offsets":[0,8]})", {1, 2}) == t + " has a dtype that is not a string");
  CHECK(parse_error(raw_file(R"({"fc1.weight":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})", {1, 2})) ==
        "m.safetensors: tensor 'fc1.weight' has dtype F16; only F32 is supported");
  CHECK(error_for(R"({"dtype":"F32","shape":2,"data_offsets":[0,8]})", {1, 2}) == t + " has a shape that is not a list");
  for (const char* bad_dim : {"-2", "2.5", "\"2\"", "null", "[2]"}) {
    CAPTURE(bad_dim);
    CHECK(error_for(std::string(R"({"dtype":"F32","shape":[)") + bad_dim + R"(],"data_offsets":[0,8]})", {1, 2}) ==
          t + " has a shape entry that is not a non-negative whole number");
  }
  CHECK(error_for(R"({"dtype":"F32","shape":[65536,65536,65536,65536],"data_offsets":[0,8]})", {1, 2}) ==
        t + " has shape [65536,65536,65536,65536], more data than any file can hold");
  const std::string big_dim = R"({"dtype":"F32","shape":[4294967296],"data_offsets":[0,8]})";
  if constexpr (sizeof(std::size_t) == 4)  // wasm32
    CHECK(error_for(big_dim, {1, 2}) == t + " has a dimension of 4294967296, too large for this build");
  else
    CHECK(error_for(big_dim, {1, 2}) == t + " has 8 bytes of data, but its shape [4294967296] needs 17179869184");
  for (const char* bad_offsets : {"[0]", "[0,8,16]", "[-1,8]", "[0,\"8\"]", "{\"begin\":0}", "[0,8.0]"}) {
    CAPTURE(bad_offsets);
    CHECK(error_for(std::string(R"({"dtype":"F32","shape":[2],"data_offsets":)") + bad_offsets + "}", {1, 2}) ==
          t + " needs data_offsets [begin, end] of non-negative whole numbers");
  }
  CHECK(error_for(R"({"dtype":"F32","shape":[2],"data_offsets":[8,0]})", {1, 2}) ==
        t + " has data_offsets that end before they begin");
  CHECK(error_for(R"({"dtype":"F32","shape":[2],"data_offsets":[0,16]})", {1, 2}) ==
        t + " has data_offsets ending at 16, past the end of the data (8 bytes)");
  CHECK(error_for(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})", {1, 2}) ==
        t + " has 8 bytes of data, but its shape [3] needs 12");

  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                             {1, 2, 3})) == "m.safetensors: tensors 'w' and 'v' overlap in the data");
  CHECK(parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                             R"("v":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                             {1, 2})) == "m.safetensors: tensors 'v' and 'w' overlap in the data");
  CHECK(error_for(w, {1, 2, 3}) == "m.safetensors: the last 4 bytes of the data belong to no tensor");
  CHECK(error_for(R"({"dtype":"F32","shape":[1],"data_offsets":[4,8]})", {1, 2}) ==
        "m.safetensors: bytes 0..4 of the data belong to no tensor");

  CHECK(parse_error(raw_file(R"({"__metadata__":["a"]})", {})) ==
        "m.safetensors: __metadata__ must be an object mapping names to strings");
  CHECK(parse_error(raw_file(R"({"__metadata__":{"a":1}})", {})) ==
        "m.safetensors: __metadata__ value for 'a' is not a string");
  CHECK(parse_error(raw_file(R"({"w":)" + w + R"(,"w":)" + w + "}", {1, 2})) ==
        "m.safetensors: the header lists 'w' twice");
  CHECK(error_for(R"({"dtype":"F32","dtype":"F16","shape":[2],"data_offsets":[0,8]})", {1, 2}) ==
        "m.safetensors: the header repeats the key 'dtype' inside one object");
  // A valid file with nothing in it.
  CHECK(parse_error(raw_file("{}", {})) == "no error");
}

TEST_CASE("safetensors: what cannot be written is refused before anything is written") {
  SafetensorsFile dup = sample();
  dup.tensors.push_back(dup.tensors[0]);
  CHECK_THROWS_WITH_AS(serialize_safetensors(dup), "safetensors: tensor 'fc1.weight' appears twice", Error);

  SafetensorsFile wrong = sample();
  wrong.tensors[0].shape = {5};
  CHECK_THROWS_WITH_AS(serialize_safetensors(wrong), "safetensors: tensor 'fc1.weight' has 6 values but its shape [5] needs 5",
                       Error);
  // A shape whose product wraps around to zero must not pass for an empty tensor.
  SafetensorsFile wraps;
  wraps.tensors.push_back({"w", {std::size_t{1} << 31, std::size_t{1} << 31, std::size_t{4}}, {}});
  CHECK_THROWS_WITH_AS(serialize_safetensors(wraps), doctest::Contains("needs more than any file can hold"), Error);

  SafetensorsFile reserved;
  reserved.tensors.push_back({"__metadata__", {1}, {1}});
  CHECK_THROWS_WITH_AS(serialize_safetensors(reserved), doctest::Contains("invalid tensor name '__metadata__'"), Error);

  SafetensorsFile bad_text = sample();
  bad_text.metadata["note"] = "caf\xe9";  // Latin-1, not UTF-8
  CHECK_THROWS_WITH_AS(serialize_safetensors(bad_text),
                       "safetensors: a tensor name or metadata string is not valid UTF-8", Error);
}

TEST_CASE("safetensors: saving is atomic, replaces only on success and leaves no temporary files") {
  const fs::path dir = fresh_dir("safetensors_atomic");
  const std::string path = (dir / "m.safetensors").string();
  save_safetensors(path, sample());
  const auto saved = read_file_raw(path);
  CHECK(saved == serialize_safetensors(sample()));
  CHECK(load_safetensors(path).find("fc1.bias")->data == std::vector<float>{7, 9});

  // A file that cannot be serialised leaves the old one exactly as it was.
  SafetensorsFile dup = sample();
  dup.tensors.push_back(dup.tensors[0]);
  CHECK_THROWS_AS(save_safetensors(path, dup), Error);
  CHECK(read_file_raw(path) == saved);

  // So does a failed write (its folder does not exist).
  CHECK_THROWS_WITH_AS(save_safetensors((dir / "missing" / "m.safetensors").string(), sample()),
                       doctest::Contains("cannot write"), Error);

  SafetensorsFile smaller;
  smaller.tensors.push_back({"only", {1}, {42}});
  save_safetensors(path, smaller);
  CHECK(load_safetensors(path).tensors.size() == 1);

  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++files;
    CHECK(entry.path().filename() == "m.safetensors");
  }
  CHECK(files == 1);
  CHECK_THROWS_WITH_AS(load_safetensors((dir / "none.safetensors").string()), doctest::Contains("cannot open"), Error);
}

TEST_CASE("safetensors: a header length that starts like gzip (1f 8b) is still read as safetensors") {
  // 0x8b1f = 35615 header bytes: the file starts with the gzip magic, and must not be inflated.
  std::string json = R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  json.append(0x8b1f - json.size(), ' ');
  const auto bytes = raw_file(json, {5});
  REQUIRE(bytes[0] == 0x1f);
  REQUIRE(bytes[1] == 0x8b);
  const std::string path = (fresh_dir("safetensors_gzip_like") / "m.safetensors").string();
  write_file_atomic(path, bytes);
  CHECK(load_safetensors(path).find("w")->data == std::vector<float>{5});
}

TEST_CASE("safetensors: random damage to a valid file is either harmless or a lenet::Error, never a crash") {
  const auto good = serialize_safetensors(sample());
  Rng rng(7);
  std::size_t rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    auto bytes = good;
    for (int flips = 1 + static_cast<int>(rng.below(3)); flips > 0; --flips)
      bytes[rng.below(bytes.size())] = static_cast<std::uint8_t>(rng.next_u64());
    if (rng.below(4) == 0) bytes.resize(rng.below(bytes.size()));
    try {
      parse_safetensors(bytes.data(), bytes.size(), "m");
    } catch (const Error&) {
      ++rejected;
    }
  }
  CHECK(rejected > 1000);  // most damage is caught (flipped float bits are not damage it can see)
}
