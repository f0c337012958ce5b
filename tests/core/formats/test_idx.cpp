#include <doctest/doctest.h>

#include <filesystem>

#ifdef LENET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/formats/idx.hpp"
#include "core/base/random.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;
using lenet::testing::tmp_path;

namespace {

// An IDX file written by hand: magic, big-endian dimensions, then count bytes of data.
std::vector<std::uint8_t> make_idx(const std::vector<std::uint32_t>& dims, std::uint8_t type = 0x08) {
  std::vector<std::uint8_t> b = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
  std::size_t n = 1;
  for (auto d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(d >> shift));
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

#ifdef LENET_HAVE_ZLIB
// Appends one gzip member holding bytes to path ("wb" starts the file, "ab" adds a member).
void write_gzip(const std::string& path, const std::vector<std::uint8_t>& bytes, const char* mode = "wb") {
  gzFile gz = gzopen(path.c_str(), mode);
  REQUIRE(gz);
  REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(gz) == Z_OK);
}
#endif

}  // namespace

TEST_CASE("idx: a hand-made file parses to its dimensions and bytes") {
  const auto b = make_idx({3, 2, 4});
  const IdxArray a = parse_idx(b.data(), b.size(), "x.idx");
  CHECK(a.dims == std::vector<std::uint32_t>{3, 2, 4});
  REQUIRE(a.data.size() == 24);
  CHECK(a.data[5] == 35);
  CHECK(std::equal(a.data.begin(), a.data.end(), b.begin() + 16));

  // Every rank from 1 to 4, and an empty array (a zero count is a valid, empty data set).
  for (const auto& dims : std::vector<std::vector<std::uint32_t>>{{5}, {2, 3}, {1, 2, 3, 4}, {0, 28, 28}}) {
    const auto bytes = make_idx(dims);
    const IdxArray parsed = parse_idx(bytes.data(), bytes.size(), "x.idx");
    CHECK(parsed.dims == dims);
    CHECK(parsed.data.size() == bytes.size() - 4 - 4 * dims.size());
  }
}

TEST_CASE("idx: each malformed file gives one clear error") {
  const auto b = make_idx({2, 3});  // 4 + 8 header bytes + 6 data bytes
  CHECK(parse_error({0, 0}) == "x.idx is too short for an IDX file (2 bytes)");

  auto bad_magic = b;
  bad_magic[1] = 0x01;
  CHECK(parse_error(bad_magic) == "x.idx is not an IDX file (its first two bytes must be zero, found 0x00 0x01)");
  // A PNG or a text file is not mistaken for IDX either.
  CHECK(parse_error({0x89, 'P', 'N', 'G', 0, 0, 0, 0}).find("is not an IDX file") != std::string::npos);

  CHECK(parse_error(make_idx({2}, 0x0D)) ==
        "x.idx has data type 0x0D (float32); only unsigned byte (0x08) IDX files are supported");
  CHECK(parse_error(make_idx({2}, 0x0B)).find("0x0B (int16); only unsigned byte") != std::string::npos);
  CHECK(parse_error(make_idx({2}, 0x07)) ==
        "x.idx has data type 0x07, which IDX does not define; expected 0x08 (unsigned byte)");

  auto rank0 = b;
  rank0[3] = 0;
  CHECK(parse_error(rank0) == "x.idx has rank 0; IDX files here have 1 to 4 dimensions");
  CHECK(parse_error(make_idx({1, 1, 1, 1, 1})).find("has rank 5") != std::string::npos);

  CHECK(parse_error({0, 0, 8, 3, 0, 0, 0, 1}) ==
        "x.idx is truncated: its header needs 16 bytes for 3 dimensions, found 8");

  auto truncated = b;
  truncated.pop_back();
  CHECK(parse_error(truncated) == "x.idx is truncated: dimensions 2x3 need 18 bytes, found 17");
  CHECK(parse_error({0, 0, 8, 1, 0, 0, 0, 9}) == "x.idx is truncated: dimensions 9 need 17 bytes, found 8");

  auto trailing = b;
  trailing.push_back(0);
  trailing.push_back(0);
  CHECK(parse_error(trailing) == "x.idx has 2 unexpected bytes after the data: dimensions 2x3 need 18 bytes, found 20");

  // Dimensions whose product wraps around 64 bits (2^17 * 2^17 * 2^30 = 2^64 = 0 mod 2^64) must
  // not pass for an empty array.
  const std::vector<std::uint8_t> wraps = {0, 0, 8, 3, 0, 2, 0, 0, 0, 2, 0, 0, 0x40, 0, 0, 0};
  CHECK(parse_error(wraps) == "x.idx has dimensions 131072x131072x1073741824, more data than any file can hold");
  CHECK(parse_error({0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255}).find("more data than any file") != std::string::npos);
}

TEST_CASE("idx: random damage to a header is either harmless or a lenet::Error, never a crash") {
  const auto good = make_idx({3, 4, 5});
  Rng rng(11);
  std::size_t damaged = 0, rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    auto bytes = good;
    bytes[rng.below(16)] = static_cast<std::uint8_t>(rng.next_u64());
    if (rng.below(4) == 0) bytes.resize(rng.below(bytes.size()));
    damaged += bytes != good;  // a byte may be rewritten with its own value
    try {
      const IdxArray a = parse_idx(bytes.data(), bytes.size(), "x.idx");
      std::size_t count = 1;
      for (auto d : a.dims) count *= d;
      CHECK(a.data.size() == count);  // whatever parses is consistent with its dimensions
    } catch (const Error&) {
      ++rejected;
    }
  }
  // Every header byte is checked (the magic zeros, the one data type, the rank, the dimensions
  // against the file's size), and every cut is short of the data: all real damage is caught.
  CHECK(damaged > 1900);
  CHECK(rejected == damaged);
}

TEST_CASE("idx: the real MNIST test set loads with sane labels") {
  const Dataset d = load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
  CHECK(d.count == 10000);
  CHECK(d.rows == 28);
  CHECK(d.cols == 28);
  REQUIRE(d.images.size() == 10000u * 28 * 28);
  REQUIRE(d.labels.size() == 10000);
  // The published class counts of the MNIST test set.
  std::size_t per_class[10] = {};
  for (auto l : d.labels) ++per_class[l];
  const std::size_t expected[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
  for (int c = 0; c < 10; ++c) CHECK(per_class[c] == expected[c]);
  CHECK(d.labels[0] == 7);  // the famous first test digit
  // Pixels are ink on black: the border is empty, the middle of the first digit is not.
  const std::uint8_t* first = d.image(0);
  CHECK(first[0] == 0);
  CHECK(first[28 * 28 - 1] == 0);
  std::size_t ink = 0;
  for (std::size_t i = 0; i < 28 * 28; ++i) ink += first[i] > 128;
  CHECK(ink > 50);
}

TEST_CASE("idx: a data set whose files do not fit together is refused, naming the files") {
  const std::string images = tmp_path("idx_images"), labels = tmp_path("idx_labels");
  write_file_atomic(images, make_idx({3, 2, 2}));
  write_file_atomic(labels, make_idx({2}));
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, labels), (images + " has 3 images but " + labels + " has 2 labels").c_str(),
                       Error);

  write_file_atomic(labels, std::vector<std::uint8_t>{0, 0, 8, 1, 0, 0, 0, 3, 1, 12, 2});
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, labels), (labels + ": label 12 at index 1 is not a digit 0-9").c_str(),
                       Error);

  CHECK_THROWS_WITH_AS(load_idx_dataset(labels, labels), doctest::Contains("images must have 3 dimensions"), Error);
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, images), doctest::Contains("labels must have 1 dimension"), Error);
  write_file_atomic(images, make_idx({3, 0, 2}));
  CHECK_THROWS_WITH_AS(load_idx_dataset(images, labels), doctest::Contains("images of 0x2 pixels are empty"), Error);
  CHECK_THROWS_WITH_AS(read_idx(tmp_path("no_such_file")), doctest::Contains("no_such_file: cannot open"), Error);
}

#ifdef LENET_HAVE_ZLIB
TEST_CASE("idx: gzip-compressed files read natively as if they were raw") {
  const std::filesystem::path dir = tmp_path("idx_gz");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto b = make_idx({40, 28, 28});
  const std::string path = (dir / "images-idx3-ubyte.gz").string();
  write_gzip(path, b);
  REQUIRE(read_file_raw(path).size() < b.size());  // it really is compressed
  const IdxArray a = read_idx(path);
  CHECK(a.dims == std::vector<std::uint32_t>{40, 28, 28});
  CHECK(a.data == parse_idx(b.data(), b.size(), "x").data);

  // Concatenated members are one gzip file, as gunzip reads them.
  const std::vector<std::uint8_t> first(b.begin(), b.begin() + 1000), rest(b.begin() + 1000, b.end());
  write_gzip(path, first);
  write_gzip(path, rest, "ab");
  CHECK(read_file(path) == b);
}

TEST_CASE("idx: damaged gzip files give a clear error, never garbage") {
  const std::string good = tmp_path("idx_good.gz"), bad = tmp_path("idx_bad.gz");
  const auto b = make_idx({4, 5});
  write_gzip(good, b);
  const auto gz = read_file_raw(good);

  auto cut = gz;
  cut.resize(cut.size() / 2);
  write_file_atomic(bad, cut);
  CHECK_THROWS_WITH_AS(read_idx(bad), (bad + " is a truncated gzip file (the compressed data ends early)").c_str(), Error);

  auto wrong_checksum = gz;
  wrong_checksum[gz.size() - 8] ^= 0xff;  // the CRC-32 of the trailer
  write_file_atomic(bad, wrong_checksum);
  CHECK_THROWS_WITH_AS(read_idx(bad), (bad + " is not a valid gzip file (incorrect data check)").c_str(), Error);

  auto trailing = gz;
  trailing.insert(trailing.end(), {'j', 'u', 'n', 'k'});
  write_file_atomic(bad, trailing);
  CHECK_THROWS_WITH_AS(read_idx(bad), (bad + " has 4 bytes of trailing garbage after its gzip data").c_str(), Error);

  std::vector<std::uint8_t> only_magic = {0x1f, 0x8b};
  write_file_atomic(bad, only_magic);
  CHECK_THROWS_WITH_AS(read_idx(bad), doctest::Contains("is a truncated gzip file"), Error);
}

TEST_CASE("idx: a gzip file that inflates past the limit is refused") {
  const std::string path = tmp_path("idx_bomb.gz");
  const std::vector<std::uint8_t> zeros(1 << 20, 0);  // 1 MiB of zeros squeezes into about 1 KiB
  write_gzip(path, zeros);
  REQUIRE(read_file_raw(path).size() < 4096);
  CHECK_THROWS_WITH_AS(read_file(path, 1000),
                       (path + " inflates to more than 1000 bytes; refusing to read it (a corrupt or malicious gzip "
                               "file?)").c_str(),
                       Error);
  CHECK_THROWS_WITH_AS(read_file(path, zeros.size() - 1), doctest::Contains("inflates to more than"), Error);
  CHECK(read_file(path, zeros.size()) == zeros);  // exactly at the limit is fine
}

TEST_CASE("idx: a gzip bomb stops inflating at the size its header describes, or at a header that is no IDX") {
  // 40 MiB of zeros behind a header that promises 10 bytes: refused once past 18 bytes, not 1 GiB.
  std::vector<std::uint8_t> bomb = make_idx({10});
  bomb.resize(40 << 20, 0);
  const std::string path = tmp_path("idx_header_bomb.gz");
  write_gzip(path, bomb);
  CHECK_THROWS_WITH_AS(read_idx(path),
                       (path + " inflates to more than 18 bytes, the size its header describes; refusing to read it "
                               "(a corrupt or malicious gzip file?)").c_str(),
                       Error);
  // A header that promises more than the cap: the cap is the limit, and the sentence says so.
  CHECK_THROWS_WITH_AS(parse_idx_file(read_file_raw(path), path, 12),
                       (path + " inflates to more than 12 bytes; refusing to read it (a corrupt or malicious gzip "
                               "file?)").c_str(),
                       Error);
  // Zeros alone: the first four bytes already cannot start an IDX file of bytes.
  write_gzip(path, std::vector<std::uint8_t>(40 << 20, 0));
  CHECK_THROWS_WITH_AS(read_idx(path), (path + " has data type 0x00, which IDX does not define; expected 0x08 (unsigned "
                                                "byte)").c_str(),
                       Error);
}
#else
TEST_CASE("idx: without zlib a gzip file is refused with a sentence saying what to do") {
  const std::string path = tmp_path("idx.gz");
  write_file_atomic(path, std::vector<std::uint8_t>{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
  CHECK_THROWS_WITH_AS(read_idx(path),
                       (path + " is gzip-compressed, and this build has no zlib; decompress it first").c_str(), Error);
}
#endif
