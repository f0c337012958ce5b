// libFuzzer harness: an IDX file as the trainer reads it, raw or gzip (.gz inflates through zlib,
// stopping past the size its header describes). Anything but a lenet::Error is a finding.
// Input: the file's bytes. Property: a file that parses holds exactly the bytes its dimensions need.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/base/error.hpp"
#include "core/formats/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    // 64 MiB instead of 1 GiB: the bound's code path is the same, and each run stays fast.
    const lenet::IdxArray idx = lenet::parse_idx_file(std::vector<std::uint8_t>(data, data + size), "fuzz.idx", 64 << 20);
    std::size_t count = 1;
    for (std::uint32_t d : idx.dims) count *= d;
    if (idx.data.size() != count) std::abort();
  } catch (const lenet::Error&) {
  }
  return 0;
}
