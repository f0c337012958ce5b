#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/base/half_float.hpp"
#include "core/formats/model_io.hpp"
#include "core/base/random.hpp"
#include "core/formats/safetensors.hpp"
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

// The same with 16-bit values (F16 or BF16 bit patterns), little-endian.
std::vector<std::uint8_t> raw_file_16(const std::string& header, const std::vector<std::uint16_t>& values) {
  std::vector<std::uint8_t> out = raw_file(header, {});
  for (std::uint16_t v : values) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
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

TEST_CASE("safetensors: round trip keeps metadata, names, shapes and values, and the layout follows the spec") {
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
  CHECK(parse_error(raw_file(R"({"fc1.weight":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})", {1, 2})) ==
        "m.safetensors: tensor 'fc1.weight' has dtype F64; only F32, F16 and BF16 are supported");
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
    CHECK(error_for(big_dim, {1, 2}) == t + " has 8 bytes of data, but its shape [4294967296] needs 17179869184 as F32");
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
        t + " has 8 bytes of data, but its shape [3] needs 12 as F32");

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

TEST_CASE("safetensors: a header listing many tensors reads in linear time, and too many are refused first") {
  // nlohmann's callback parser took 24 s for 40,000 empty tensors and minutes for more.
  const auto header_of = [](std::size_t tensors) {
    std::string header = "{";
    for (std::size_t i = 0; i < tensors; ++i)
      header += (i ? ",\"t" : "\"t") + std::to_string(i) + R"(":{"dtype":"F32","shape":[0],"data_offsets":[0,0]})";
    return raw_file(header + "}", {});
  };
  const std::vector<std::uint8_t> many = header_of(40000);
  CHECK(parse_safetensors(many.data(), many.size(), "m").tensors.size() == 40000);
  const std::vector<std::uint8_t> too_many = header_of(max_tensors_per_file + 1);
  CHECK(parse_error(too_many) ==
        "m.safetensors: the header lists more than 65536 tensors; not a model or checkpoint of this project");
  // A repeat is still found, and a top-level array is not mistaken for the tensors' object.
  CHECK(parse_error(raw_file(R"({"a":{"x":1,"x":2}})", {})) == "m.safetensors: the header repeats the key 'x' inside one object");
  CHECK(parse_error(raw_file(R"([{"a":1,"a":1}])", {})).find("repeats the key 'a'") != std::string::npos);
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

// Half precision (F16, BF16): the converters first, then files holding such tensors.
namespace {

float from_bits(std::uint32_t bits) {
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

float pow2(int exponent) { return std::ldexp(1.0f, exponent); }

// A random float whose exponent lies in [min_exponent, max_exponent], with random sign and fraction.
float random_float(Rng& rng, int min_exponent, int max_exponent) {
  const auto exponent = static_cast<std::uint32_t>(127 + min_exponent + static_cast<int>(rng.below(max_exponent - min_exponent + 1)));
  return from_bits(static_cast<std::uint32_t>(rng.below(2)) << 31 | exponent << 23 |
                   static_cast<std::uint32_t>(rng.below(std::uint64_t{1} << 23)));
}

struct ExactHalf {
  float value;
  std::uint16_t bits;
};

}  // namespace

TEST_CASE("half floats: exact values keep their bits both ways, the sign of zero included") {
  const ExactHalf f16[] = {{1.0f, 0x3c00},         {-2.0f, 0xc000},         {65504.0f, 0x7bff}, {-65504.0f, 0xfbff},
                           {pow2(-24), 0x0001},    {0.0f, 0x0000},          {-0.0f, 0x8000},    {0.5f, 0x3800},
                           {pow2(-14), 0x0400},    {1023 * pow2(-24), 0x03ff},  // the smallest normal, the largest subnormal
                           {INFINITY, 0x7c00},     {-INFINITY, 0xfc00}};
  for (const ExactHalf& e : f16) {
    CAPTURE(e.value);
    CHECK(float_to_f16_bits(e.value) == e.bits);
    CHECK(f16_bits_to_float(e.bits) == e.value);
    CHECK(std::signbit(f16_bits_to_float(e.bits)) == std::signbit(e.value));
  }
  const ExactHalf bf16[] = {{1.0f, 0x3f80},      {-2.0f, 0xc000},     {0.0f, 0x0000},          {-0.0f, 0x8000},
                            {pow2(-24), 0x3380}, {65536.0f, 0x4780},  {pow2(-133), 0x0001},  // the smallest subnormal
                            {from_bits(0x7f7f0000), 0x7f7f},  // the largest finite, about 3.39e38
                            {INFINITY, 0x7f80},  {-INFINITY, 0xff80}};
  for (const ExactHalf& e : bf16) {
    CAPTURE(e.value);
    CHECK(float_to_bf16_bits(e.value) == e.bits);
    CHECK(bf16_bits_to_float(e.bits) == e.value);
    CHECK(std::signbit(bf16_bits_to_float(e.bits)) == std::signbit(e.value));
  }
  // Every 16-bit value that is not a NaN survives widening and narrowing unchanged.
  std::size_t f16_changed = 0, bf16_changed = 0;
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    if (!std::isnan(f16_bits_to_float(h)) && float_to_f16_bits(f16_bits_to_float(h)) != h) ++f16_changed;
    if (!std::isnan(bf16_bits_to_float(h)) && float_to_bf16_bits(bf16_bits_to_float(h)) != h) ++bf16_changed;
  }
  CHECK(f16_changed == 0);
  CHECK(bf16_changed == 0);
}

TEST_CASE("half floats: narrowing rounds to nearest with ties to even, overflows to infinity, keeps NaN a NaN") {
  // F16 keeps 10 fraction bits: between 1 and 1 + 2^-10, the tie 1 + 2^-11 goes to the even 1.
  CHECK(float_to_f16_bits(1 + pow2(-11)) == 0x3c00);
  CHECK(float_to_f16_bits(1 + 3 * pow2(-11)) == 0x3c02);  // tie between 0x3c01 (odd) and 0x3c02
  CHECK(float_to_f16_bits(1 + pow2(-11) + pow2(-20)) == 0x3c01);  // just past the tie
  CHECK(float_to_f16_bits(-(1 + 3 * pow2(-11))) == 0xbc02);
  // Subnormals, in steps of 2^-24: ties to even there too, and underflow keeps the sign.
  CHECK(float_to_f16_bits(3 * pow2(-25)) == 0x0002);
  CHECK(float_to_f16_bits(pow2(-25)) == 0x0000);
  CHECK(float_to_f16_bits(pow2(-25) * (1 + pow2(-10))) == 0x0001);
  CHECK(float_to_f16_bits(-pow2(-26)) == 0x8000);
  CHECK(float_to_f16_bits(pow2(-14) - pow2(-25)) == 0x0400);  // the largest subnormal's tie carries into the exponent
  CHECK(float_to_f16_bits(pow2(-140)) == 0x0000);             // float32 subnormals are far below
  // Beyond 65504: 65519 still rounds down to it, 65520 (the tie with 65536) goes to infinity.
  CHECK(float_to_f16_bits(65519.0f) == 0x7bff);
  CHECK(float_to_f16_bits(65520.0f) == 0x7c00);
  CHECK(float_to_f16_bits(-1e9f) == 0xfc00);
  // BF16 keeps 7 fraction bits.
  CHECK(float_to_bf16_bits(1 + pow2(-8)) == 0x3f80);
  CHECK(float_to_bf16_bits(1 + 3 * pow2(-8)) == 0x3f82);
  CHECK(float_to_bf16_bits(1 + pow2(-8) + pow2(-20)) == 0x3f81);
  CHECK(float_to_bf16_bits(std::numeric_limits<float>::max()) == 0x7f80);
  CHECK(float_to_bf16_bits(std::numeric_limits<float>::denorm_min()) == 0x0000);
  // NaN, quiet or signalling, with its payload in the high or only in the low bits, stays NaN.
  for (std::uint32_t nan : {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0x7fa00000u, 0xff800100u}) {
    CAPTURE(nan);
    CHECK(std::isnan(f16_bits_to_float(float_to_f16_bits(from_bits(nan)))));
    CHECK(std::isnan(bf16_bits_to_float(float_to_bf16_bits(from_bits(nan)))));
    CHECK(std::signbit(f16_bits_to_float(float_to_f16_bits(from_bits(nan)))) == (nan >> 31 == 1));
    CHECK(std::signbit(bf16_bits_to_float(float_to_bf16_bits(from_bits(nan)))) == (nan >> 31 == 1));
  }
  // Random values: the nearest representable one (no neighbour is closer), within half a unit
  // in the last place: relative 2^-11 for F16's normal range, 2^-8 for BF16.
  Rng rng(16);
  std::size_t f16_off = 0, bf16_off = 0;
  for (int i = 0; i < 20000; ++i) {
    const float x = random_float(rng, -14, 14);
    const std::uint16_t h = float_to_f16_bits(x);
    const double error = std::fabs(double(f16_bits_to_float(h)) - x);
    const bool nearest = error <= std::fabs(double(f16_bits_to_float(static_cast<std::uint16_t>(h + 1))) - x) &&
                         error <= std::fabs(double(f16_bits_to_float(static_cast<std::uint16_t>(h - 1))) - x);
    if (!nearest || error > std::fabs(x) * 0x1p-11) ++f16_off;
    const float y = random_float(rng, -126, 126);
    const std::uint16_t b = float_to_bf16_bits(y);
    const double bf_error = std::fabs(double(bf16_bits_to_float(b)) - y);
    const bool bf_nearest = bf_error <= std::fabs(double(bf16_bits_to_float(static_cast<std::uint16_t>(b + 1))) - y) &&
                            bf_error <= std::fabs(double(bf16_bits_to_float(static_cast<std::uint16_t>(b - 1))) - y);
    if (!bf_nearest || bf_error > std::fabs(y) * 0x1p-8) ++bf16_off;
  }
  CHECK(f16_off == 0);
  CHECK(bf16_off == 0);
}

TEST_CASE("safetensors: F16 and BF16 tensors take 2 bytes a value and come back within half precision") {
  Rng rng(17);
  std::vector<float> values(1000);
  for (float& v : values) v = random_float(rng, -14, 14);
  SafetensorsFile f;
  f.metadata = {{"dtype", "mixed"}};
  f.tensors.push_back({"a.half", {10, 100}, values, Dtype::f16});
  f.tensors.push_back({"b.brain", {1000}, values, Dtype::bf16});
  f.tensors.push_back({"c.single", {1000}, values});  // F32 unless asked
  const auto bytes = serialize_safetensors(f);
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= std::uint64_t{bytes[i]} << (8 * i);
  REQUIRE(bytes.size() == 8 + n + 2000 + 2000 + 4000);
  const auto header = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(n));
  CHECK(header["a.half"]["dtype"] == "F16");
  CHECK(header["a.half"]["data_offsets"] == nlohmann::json::array({0, 2000}));
  CHECK(header["b.brain"]["dtype"] == "BF16");
  CHECK(header["b.brain"]["data_offsets"] == nlohmann::json::array({2000, 4000}));
  CHECK(header["c.single"]["dtype"] == "F32");
  CHECK(header["c.single"]["data_offsets"] == nlohmann::json::array({4000, 8000}));
  // Little-endian 16-bit words: the first F16 value at bytes 0-1 of the buffer.
  const std::uint16_t first = float_to_f16_bits(values[0]);
  CHECK(bytes[8 + n] == (first & 0xff));
  CHECK(bytes[8 + n + 1] == (first >> 8));

  const SafetensorsFile back = parse_safetensors(bytes.data(), bytes.size(), "m");
  CHECK(back.find("a.half")->dtype == Dtype::f16);
  CHECK(back.find("b.brain")->dtype == Dtype::bf16);
  CHECK(back.find("c.single")->dtype == Dtype::f32);
  CHECK(back.find("c.single")->data == values);
  std::size_t f16_off = 0, bf16_off = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::fabs(back.find("a.half")->data[i] - values[i]) > std::fabs(values[i]) * 0x1p-11f) ++f16_off;
    if (std::fabs(back.find("b.brain")->data[i] - values[i]) > std::fabs(values[i]) * 0x1p-8f) ++bf16_off;
  }
  CHECK(f16_off == 0);
  CHECK(bf16_off == 0);
  // What was read is written back to the same bytes: narrowing a widened half changes nothing.
  CHECK(serialize_safetensors(back) == bytes);

  // Values a half float holds exactly come back exactly, -0 with its sign.
  SafetensorsFile exact;
  const std::vector<float> f16_exact = {1.0f, -2.0f, 65504.0f, pow2(-24), 0.0f, -0.0f};
  const std::vector<float> bf16_exact = {1.0f, -2.0f, 65536.0f, pow2(-24), 0.0f, -0.0f};
  exact.tensors.push_back({"h", {6}, f16_exact, Dtype::f16});
  exact.tensors.push_back({"b", {2, 3}, bf16_exact, Dtype::bf16});
  const auto exact_bytes = serialize_safetensors(exact);
  const SafetensorsFile exact_back = parse_safetensors(exact_bytes.data(), exact_bytes.size(), "m");
  CHECK(exact_back.find("h")->data == f16_exact);
  CHECK(exact_back.find("b")->data == bf16_exact);
  CHECK(std::signbit(exact_back.find("h")->data[5]));
  CHECK(std::signbit(exact_back.find("b")->data[5]));

  CHECK(dtype_from_name("F16") == Dtype::f16);
  CHECK(dtype_from_name("BF16") == Dtype::bf16);
  CHECK(dtype_from_name("F32") == Dtype::f32);
  CHECK_FALSE(dtype_from_name("f16"));  // the header's names are case-sensitive, as in the reference
  CHECK(std::string(dtype_name(Dtype::bf16)) == "BF16");
  CHECK(dtype_bytes(Dtype::f16) == 2);
}

TEST_CASE("safetensors: malformed F16 and BF16 entries give the same clear errors as F32") {
  const auto error_for = [](const std::string& entry, const std::vector<std::uint16_t>& values) {
    return parse_error(raw_file_16(R"({"w":)" + entry + "}", values));
  };
  const std::string t = "m.safetensors: tensor 'w'";
  CHECK(error_for(R"({"dtype":"F16","shape":[2],"data_offsets":[0,4]})", {1, 2}) == "no error");
  // Offsets written as if the values took 4 bytes, or an odd number of bytes.
  CHECK(error_for(R"({"dtype":"F16","shape":[2],"data_offsets":[0,8]})", {1, 2, 3, 4}) ==
        t + " has 8 bytes of data, but its shape [2] needs 4 as F16");
  CHECK(error_for(R"({"dtype":"BF16","shape":[3],"data_offsets":[0,4]})", {1, 2}) ==
        t + " has 4 bytes of data, but its shape [3] needs 6 as BF16");
  CHECK(error_for(R"({"dtype":"F16","shape":[1],"data_offsets":[0,3]})", {1, 2}) ==
        t + " has 3 bytes of data, but its shape [1] needs 2 as F16");
  // Truncated data.
  CHECK(error_for(R"({"dtype":"BF16","shape":[4],"data_offsets":[0,8]})", {1, 2, 3}) ==
        t + " has data_offsets ending at 8, past the end of the data (6 bytes)");
  CHECK(error_for(R"({"dtype":"F16","shape":[65536,65536,65536,65536],"data_offsets":[0,4]})", {1, 2}) ==
        t + " has shape [65536,65536,65536,65536], more data than any file can hold");
  // Holes and overlaps, also between tensors of different dtypes.
  CHECK(error_for(R"({"dtype":"F16","shape":[1],"data_offsets":[2,4]})", {1, 2}) ==
        "m.safetensors: bytes 0..2 of the data belong to no tensor");
  CHECK(error_for(R"({"dtype":"F16","shape":[1],"data_offsets":[0,2]})", {1, 2}) ==
        "m.safetensors: the last 2 bytes of the data belong to no tensor");
  CHECK(parse_error(raw_file_16(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
                                R"("v":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})",
                                {1, 2, 3})) == "m.safetensors: tensors 'w' and 'v' overlap in the data");
  // Unknown dtypes, and the names in another case, are one sentence too.
  for (const char* other : {"F64", "f16", "BF8", "I16"}) {
    CAPTURE(other);
    CHECK(error_for(std::string(R"({"dtype":")") + other + R"(","shape":[2],"data_offsets":[0,4]})", {1, 2}) ==
          t + " has dtype " + other + "; only F32, F16 and BF16 are supported");
  }
}

TEST_CASE("safetensors: NaN and infinity stored as F16 or BF16 are read as they are, and a model refuses them as for F32") {
  const auto f16 = raw_file_16(R"({"w":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}})", {0x7c00, 0xfc00, 0x7e00});
  const auto bf16 = raw_file_16(R"({"w":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]}})", {0x7f80, 0xff80, 0x7fc0});
  for (const auto& bytes : {f16, bf16}) {
    const std::vector<float> w = parse_safetensors(bytes.data(), bytes.size(), "m").find("w")->data;
    CHECK(w[0] == INFINITY);
    CHECK(w[1] == -INFINITY);
    CHECK(std::isnan(w[2]));
  }

  Rng rng(18);
  Network net("lenet5");
  net.initialize(rng);
  for (Dtype dtype : {Dtype::f32, Dtype::f16, Dtype::bf16}) {
    const std::string name = dtype_name(dtype);
    CAPTURE(name);
    SafetensorsFile file = to_safetensors(net, {});
    for (NamedTensor& t : file.tensors) t.dtype = dtype;
    file.tensors[1].data[3] = INFINITY;  // written as infinity: it is no overflow of the dtype
    const auto bytes = serialize_safetensors(file);
    CHECK_THROWS_WITH_AS(load_model_from_bytes(bytes.data(), bytes.size(), "m.safetensors"),
                         ("m.safetensors: tensor '" + file.tensors[1].name + "' holds NaN or infinite values").c_str(),
                         Error);
  }
}

TEST_CASE("safetensors: a finite value that a half float cannot hold is refused, naming the tensor") {
  SafetensorsFile f = sample();
  for (NamedTensor& t : f.tensors) t.dtype = Dtype::f16;
  f.tensors[0].data[2] = 65519.0f;  // rounds to 65504
  CHECK_NOTHROW(serialize_safetensors(f));
  f.tensors[0].data[2] = 65520.0f;
  CHECK_THROWS_WITH_AS(serialize_safetensors(f),
                       "safetensors: tensor 'fc1.weight' holds 65520, beyond the range of F16; store it as F32", Error);
  f.tensors[0].data[2] = -1e6f;
  CHECK_THROWS_WITH_AS(serialize_safetensors(f),
                       "safetensors: tensor 'fc1.weight' holds -1e+06, beyond the range of F16; store it as F32", Error);
  // BF16 has float32's exponent range: 1e6 fits, only the very largest floats do not.
  f.tensors[0].dtype = Dtype::bf16;
  CHECK_NOTHROW(serialize_safetensors(f));
  f.tensors[0].data[2] = std::numeric_limits<float>::max();
  CHECK_THROWS_WITH_AS(serialize_safetensors(f),
                       "safetensors: tensor 'fc1.weight' holds 3.40282e+38, beyond the range of BF16; store it as F32",
                       Error);

  // Nothing is written: an existing file stays as it was.
  const std::string path = (fresh_dir("safetensors_f16_overflow") / "m.safetensors").string();
  save_safetensors(path, sample());
  const auto saved = read_file_raw(path);
  CHECK_THROWS_AS(save_safetensors(path, f), Error);
  CHECK(read_file_raw(path) == saved);
}

TEST_CASE("model files stored as F16 or BF16 load, say so, and give nearly the logits of the F32 model") {
  Rng rng(19);
  Network net("lenet5");
  net.initialize(rng);
  Tensor x = Tensor::from_shape({2, 1, 28, 28});
  for (float& v : x) v = rng.uniform();
  const Tensor want = net.forward(x);
  for (Dtype dtype : {Dtype::f16, Dtype::bf16}) {
    const std::string name = dtype_name(dtype);
    CAPTURE(name);
    SafetensorsFile file = to_safetensors(net, {});
    for (NamedTensor& t : file.tensors) t.dtype = dtype;
    const auto bytes = serialize_safetensors(file);
    CHECK(bytes.size() < serialize_safetensors(to_safetensors(net, {})).size() * 51 / 100);
    Model back = load_model_from_bytes(bytes.data(), bytes.size(), "m");
    CHECK(back.info.weights_dtype == dtype);  // what the page reports as the file's weights
    // Saved again, the model is stored as its tensors say (F32 here), not as the file it came from.
    CHECK(to_safetensors(back.network, back.info).tensors.front().dtype == Dtype::f32);
    const Tensor got = back.network.forward(x);
    REQUIRE(got.size() == want.size());
    float worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(got.flat(i) - want.flat(i)));
    CHECK(worst < (dtype == Dtype::f16 ? 1e-3f : 1e-2f));
  }
}
