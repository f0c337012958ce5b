#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#ifdef LENET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/idx.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;
using lenet::testing::tmp_path;

namespace {

std::vector<std::uint8_t> make_idx(std::vector<std::uint32_t> dims, std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> b = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
  std::size_t n = 1;
  for (auto d : dims) {
    b.push_back(d >> 24); b.push_back(d >> 16); b.push_back(d >> 8); b.push_back(d);
    n *= d;
  }
  for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  return b;
}

std::string parse_error(const std::vector<std::uint8_t>& b) {
  try {
    parse_idx(b.data(), b.size(), "x.idx");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("idx: a hand-made file parses to its dimensions and bytes") {
  const auto b = make_idx({3, 2, 4});
  const IdxArray a = parse_idx(b.data(), b.size(), "x.idx");
  CHECK(a.dims == std::vector<std::uint32_t>{3, 2, 4});
  REQUIRE(a.data.size() == 24);
  CHECK(a.data[5] == 35);
}

TEST_CASE("idx: each malformed file gives one clear error") {
  auto b = make_idx({2, 3});
  CHECK(parse_error({0, 0}) == "x.idx: too short for an IDX file (2 bytes)");
  auto bad_magic = b;
  bad_magic[1] = 0x01;
  CHECK(parse_error(bad_magic).find("not an IDX file") != std::string::npos);
  CHECK(parse_error(make_idx({2}, 0x0D)).find("has data type 0x0D (float32); only unsigned byte") != std::string::npos);
  auto rank0 = b;
  rank0[3] = 0;
  CHECK(parse_error(rank0).find("rank 0") != std::string::npos);
  CHECK(parse_error({0, 0, 8, 3, 0, 0, 0, 1}).find("truncated header") != std::string::npos);
  auto truncated = b;
  truncated.pop_back();
  CHECK(parse_error(truncated) == "x.idx: truncated data (expected 18 bytes for dimensions, found 17)");
  auto trailing = b;
  trailing.push_back(0);
  CHECK(parse_error(trailing).find("1 unexpected bytes after the data") != std::string::npos);
  CHECK(parse_error({0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255}).find("more than 16 GiB") != std::string::npos);
}

TEST_CASE("idx: the real MNIST test set loads with sane labels") {
  const Dataset d = load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
  CHECK(d.count == 10000);
  CHECK(d.rows == 28);
  CHECK(d.cols == 28);
  std::size_t per_class[10] = {};
  for (auto l : d.labels) ++per_class[l];
  for (std::size_t c : per_class) CHECK(c > 800);
  CHECK(d.labels[0] == 7);  // the famous first test digit
}

TEST_CASE("idx: mismatched image and label files are named in the error") {
  const std::string images = tmp_path("idx_images"), labels = tmp_path("idx_labels");
  write_file_atomic(images, make_idx({3, 2, 2}));
  auto lab = make_idx({2});
  write_file_atomic(labels, lab);
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, labels), doctest::Contains("has 3 images but"), Error);
  std::vector<std::uint8_t> bad_label = {0, 0, 8, 1, 0, 0, 0, 3, 1, 12, 2};
  write_file_atomic(labels, bad_label);
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, labels), doctest::Contains("label 12 at index 1"), Error);
  CHECK_THROWS_WITH_AS(read_idx(tmp_path("no_such_file")), doctest::Contains("cannot open"), Error);
}

TEST_CASE("idx: gzip-compressed files") {
  const auto b = make_idx({4, 5});
  const std::string path = tmp_path("idx.gz");
#ifdef LENET_HAVE_ZLIB
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz);
  gzwrite(gz, b.data(), static_cast<unsigned>(b.size()));
  gzclose(gz);
  CHECK(read_idx(path).data == parse_idx(b.data(), b.size(), "x").data);
  // Corrupt the compressed stream: a clear error, not garbage.
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> raw((std::istreambuf_iterator<char>(in)), {});
  raw.resize(raw.size() / 2);
  write_file_atomic(path, raw);
  CHECK_THROWS_WITH_AS(read_idx(path), doctest::Contains("is not a valid gzip file"), Error);
#else
  std::vector<std::uint8_t> gz_magic = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  write_file_atomic(path, gz_magic);
  CHECK_THROWS_WITH_AS(read_idx(path), doctest::Contains("this build has no zlib"), Error);
#endif
}
