#pragma once
// Whole-file reads (gzip inflated transparently where zlib is built in) and atomic writes:
// an output file is either the old one or the complete new one, never half written.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lenet {

// The file's bytes; a gzip file (magic 1f 8b) is inflated. Throws lenet::Error naming the path.
std::vector<std::uint8_t> read_file(const std::string& path);

// Writes to a temporary file beside path, then renames it over path. On failure the temporary
// file is removed, path is untouched, and lenet::Error is thrown.
void write_file_atomic(const std::string& path, const std::uint8_t* data, std::size_t size);
inline void write_file_atomic(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace lenet
