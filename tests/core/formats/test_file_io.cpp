#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/base/random.hpp"
#include "support/tmp_path.hpp"

using namespace lenet;
namespace fs = std::filesystem;

namespace {

// A fresh, empty folder for one test case.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = lenet::testing::tmp_path(name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint8_t> bytes(n);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u64());
  return bytes;
}

}  // namespace

TEST_CASE("file_io: files larger than one read chunk and empty files come back byte for byte") {
  const fs::path dir = fresh_dir("file_io_round_trip");
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{65536}, std::size_t{200003}}) {
    CAPTURE(size);
    auto bytes = random_bytes(size, size);
    if (size) bytes[0] = 0;  // not gzip magic: read_file must return it unchanged
    const std::string path = (dir / "data.bin").string();
    write_file_atomic(path, bytes);
    CHECK(read_file(path) == bytes);
    CHECK(read_file_raw(path) == bytes);
  }
  CHECK(names_in(dir) == std::set<std::string>{"data.bin"});
}

TEST_CASE("file_io: read_file_raw never inflates, so gzip-like bytes of another format survive") {
  const fs::path dir = fresh_dir("file_io_raw");
  const std::vector<std::uint8_t> looks_gzip = {0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 1, 2, 3};
  const std::string path = (dir / "x.bin").string();
  write_file_atomic(path, looks_gzip);
  CHECK(read_file_raw(path) == looks_gzip);
}

TEST_CASE("file_io: missing and unreadable files give a sentence naming the path") {
  const fs::path dir = fresh_dir("file_io_missing");
  const std::string missing = (dir / "nope.bin").string();
  CHECK_THROWS_WITH_AS(read_file(missing), (missing + ": cannot open (No such file or directory)").c_str(), Error);
  CHECK_THROWS_WITH_AS(read_file_raw(missing), doctest::Contains("nope.bin: cannot open"), Error);
  // A folder opens on Linux but cannot be read as a file.
  CHECK_THROWS_WITH_AS(read_file(dir.string()), doctest::Contains((dir.string() + ": cannot").c_str()), Error);
}

TEST_CASE("file_io: an atomic write replaces the old file and leaves no temporary file behind") {
  const fs::path dir = fresh_dir("file_io_replace");
  const std::string path = (dir / "out.bin").string();
  write_file_atomic(path, random_bytes(1000, 1));
  const auto second = random_bytes(10, 2);
  write_file_atomic(path, second);
  CHECK(read_file_raw(path) == second);
  CHECK(names_in(dir) == std::set<std::string>{"out.bin"});
}

TEST_CASE("file_io: a failed atomic write throws, creates nothing and removes its temporary file") {
  const fs::path dir = fresh_dir("file_io_fail");
  const auto bytes = random_bytes(100, 3);

  // The folder does not exist: not even the temporary file can be created.
  const std::string in_missing_dir = (dir / "missing" / "out.bin").string();
  CHECK_THROWS_WITH_AS(write_file_atomic(in_missing_dir, bytes),
                       (in_missing_dir + ": cannot write (No such file or directory)").c_str(), Error);
  CHECK(names_in(dir).empty());

  // The target is a non-empty folder: the temporary file is written, the rename fails, and the
  // temporary file must go again while the folder stays as it was.
  const fs::path occupied = dir / "occupied";
  fs::create_directories(occupied / "inside");
  CHECK_THROWS_WITH_AS(write_file_atomic(occupied.string(), bytes), doctest::Contains("occupied: cannot write"), Error);
  CHECK(names_in(dir) == std::set<std::string>{"occupied"});
  CHECK(names_in(occupied) == std::set<std::string>{"inside"});
}

TEST_CASE("file_io: an atomic write removes the temporaries a killed writer left for the same file") {
  const fs::path dir = fresh_dir("file_io_stale");
  for (const char* name : {"out.bin.tmp-123456", "out.bin.tmp-9", "out.bin.tmp-notmine", "other.bin.tmp-77"})
    std::fclose(std::fopen((dir / name).c_str(), "wb"));
  write_file_atomic((dir / "out.bin").string(), random_bytes(10, 4));
  // Only this file's temporaries, as write_file_atomic names them (digits after ".tmp-").
  CHECK(names_in(dir) == std::set<std::string>{"out.bin", "out.bin.tmp-notmine", "other.bin.tmp-77"});
}
