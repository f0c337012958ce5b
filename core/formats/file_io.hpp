#pragma once
// Whole-file reads (gzip inflated transparently where zlib is built in) and atomic writes:
// an output file is either the old one or the complete new one, never half written.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lenet {

// A gzip file may not inflate to more than this: a few KiB of crafted input can otherwise ask
// for gigabytes (a "gzip bomb"). The largest real input, MNIST's training images, is 47 MB.
inline constexpr std::size_t default_max_inflated_bytes = std::size_t{1} << 30;

// What a format's first bytes say its whole size is: nothing while too few bytes have arrived to
// tell; throws lenet::Error when they cannot start a file of that format.
using SizeFromHeader = std::function<std::optional<std::uint64_t>(const std::uint8_t* prefix, std::size_t size)>;

// The file's bytes; a gzip file (magic 1f 8b) is inflated (concatenated gzip members too, as
// gunzip does), refused as soon as it inflates past max_inflated_bytes or past the size that
// size_from_header reads from its first inflated bytes. Builds without zlib (wasm) reject gzip
// files with a sentence saying so. Throws lenet::Error naming the path.
std::vector<std::uint8_t> read_file(const std::string& path,
                                    std::size_t max_inflated_bytes = default_max_inflated_bytes,
                                    const SizeFromHeader& size_from_header = {});

// The same for bytes already in memory (source names them in errors): returned as they are
// unless they are gzip.
std::vector<std::uint8_t> inflate_if_gzip(std::vector<std::uint8_t> bytes, const std::string& source,
                                          std::size_t max_inflated_bytes = default_max_inflated_bytes,
                                          const SizeFromHeader& size_from_header = {});

// The file's bytes exactly as stored, never inflated: for formats whose first bytes may happen
// to be 1f 8b (a safetensors header length of 35615, for one).
std::vector<std::uint8_t> read_file_raw(const std::string& path);

// Writes to a temporary file beside path (path + ".tmp-" + a random number), flushes it to disk,
// then renames it over path. On failure the temporary file is removed, path is untouched, and
// lenet::Error is thrown.
void write_file_atomic(const std::string& path, const std::uint8_t* data, std::size_t size);
inline void write_file_atomic(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace lenet
