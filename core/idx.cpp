#include "idx.hpp"

#include "error.hpp"
#include "file_io.hpp"

namespace lenet {

namespace {
const char* type_name(std::uint8_t type) {
  switch (type) {
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "unknown";
  }
}
std::string hex(std::uint8_t v) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[v >> 4] + digits[v & 15];
}
}  // namespace

IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  if (size < 4) throw Error(source + ": too short for an IDX file (" + std::to_string(size) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0)
    throw Error(source + ": not an IDX file (the first two bytes must be zero, got " + hex(bytes[0]) + " " +
                hex(bytes[1]) + ")");
  if (bytes[2] != 0x08)
    throw Error(source + ": has data type " + hex(bytes[2]) + " (" + type_name(bytes[2]) +
                "); only unsigned byte (0x08) IDX files are supported");
  const std::size_t rank = bytes[3];
  if (rank < 1 || rank > 4) throw Error(source + ": rank " + std::to_string(rank) + " is not between 1 and 4");
  const std::size_t header = 4 + 4 * rank;
  if (size < header)
    throw Error(source + ": truncated header (" + std::to_string(size) + " bytes, the dimensions need " +
                std::to_string(header) + ")");
  IdxArray out;
  std::uint64_t count = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    const std::uint8_t* d = bytes + 4 + 4 * i;
    const std::uint32_t dim = (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) | d[3];
    out.dims.push_back(dim);
    count *= dim;
    if (count > (std::uint64_t{1} << 34)) throw Error(source + ": dimensions describe more than 16 GiB of data");
  }
  const std::uint64_t expected = header + count;
  if (size < expected)
    throw Error(source + ": truncated data (expected " + std::to_string(expected) + " bytes for dimensions, found " +
                std::to_string(size) + ")");
  if (size > expected)
    throw Error(source + ": " + std::to_string(size - expected) + " unexpected bytes after the data (expected " +
                std::to_string(expected) + " bytes in all)");
  out.data.assign(bytes + header, bytes + expected);
  return out;
}

IdxArray read_idx(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  return parse_idx(bytes.data(), bytes.size(), path);
}

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx(images_path);
  IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3)
    throw Error(images_path + ": images must have 3 dimensions (count, rows, columns), found " +
                std::to_string(images.dims.size()));
  if (labels.dims.size() != 1)
    throw Error(labels_path + ": labels must have 1 dimension, found " + std::to_string(labels.dims.size()));
  if (images.dims[0] != labels.dims[0])
    throw Error(images_path + " has " + std::to_string(images.dims[0]) + " images but " + labels_path + " has " +
                std::to_string(labels.dims[0]) + " labels");
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] > 9)
      throw Error(labels_path + ": label " + std::to_string(labels.data[i]) + " at index " + std::to_string(i) +
                  " is not a digit 0-9");
  Dataset d;
  d.count = images.dims[0];
  d.rows = images.dims[1];
  d.cols = images.dims[2];
  d.images = std::move(images.data);
  d.labels = std::move(labels.data);
  return d;
}

}  // namespace lenet
