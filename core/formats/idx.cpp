#include "core/formats/idx.hpp"

#include <algorithm>

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/base/tensor.hpp"

namespace lenet {

namespace {
const char* type_name(std::uint8_t type) {
  switch (type) {
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return nullptr;
  }
}
std::string dims_text(const std::vector<std::uint32_t>& dims) {
  std::string text;
  for (std::uint32_t d : dims) {
    if (!text.empty()) text += 'x';
    text += std::to_string(d);
  }
  return text;
}
std::string hex(std::uint8_t v) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[v >> 4] + digits[v & 15];
}
}  // namespace

std::optional<IdxHeader> parse_idx_header(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  if (size < 4) return std::nullopt;
  if (bytes[0] != 0 || bytes[1] != 0)
    throw Error(source + " is not an IDX file (its first two bytes must be zero, found " + hex(bytes[0]) + " " +
                hex(bytes[1]) + ")");
  const std::uint8_t type = bytes[2];
  if (type != 0x08) {
    if (!type_name(type))
      throw Error(source + " has data type " + hex(type) + ", which IDX does not define; expected 0x08 (unsigned byte)");
    throw Error(source + " has data type " + hex(type) + " (" + type_name(type) +
                "); only unsigned byte (0x08) IDX files are supported");
  }
  const std::size_t rank = bytes[3];
  if (rank < 1 || rank > 4)
    throw Error(source + " has rank " + std::to_string(rank) + "; IDX files here have 1 to 4 dimensions");
  IdxHeader header;
  header.bytes = 4 + 4 * rank;
  if (size < header.bytes) return std::nullopt;
  for (std::size_t i = 0; i < rank; ++i) {
    const std::uint8_t* d = bytes + 4 + 4 * i;
    header.dims.push_back((std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) | d[3]);
  }
  const std::optional<std::uint64_t> count = product_within(header.dims, std::uint64_t{1} << 62);
  if (!count) throw Error(source + " has dimensions " + dims_text(header.dims) + ", more data than any file can hold");
  header.data_bytes = *count;
  return header;
}

IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  if (size < 4) throw Error(source + " is too short for an IDX file (" + std::to_string(size) + " bytes)");
  const std::optional<IdxHeader> header = parse_idx_header(bytes, size, source);
  if (!header) {
    const std::size_t rank = bytes[3];
    throw Error(source + " is truncated: its header needs " + std::to_string(4 + 4 * rank) + " bytes for " +
                std::to_string(rank) + " dimensions, found " + std::to_string(size));
  }
  const std::uint64_t available = size - header->bytes, count = header->data_bytes;
  const std::string need = "dimensions " + dims_text(header->dims) + " need " + std::to_string(header->bytes + count) +
                           " bytes, found " + std::to_string(size);
  if (count > available) throw Error(source + " is truncated: " + need);
  if (count < available)
    throw Error(source + " has " + std::to_string(available - count) + " unexpected bytes after the data: " + need);
  return {header->dims, std::vector<std::uint8_t>(bytes + header->bytes, bytes + size)};
}

IdxArray parse_idx_file(std::vector<std::uint8_t> bytes, const std::string& source, std::size_t max_inflated_bytes) {
  // A gzip file stops inflating as soon as it passes the size its header describes.
  const auto size_from_header = [&](const std::uint8_t* prefix, std::size_t size) -> std::optional<std::uint64_t> {
    const std::optional<IdxHeader> header = parse_idx_header(prefix, size, source);
    if (!header) return std::nullopt;
    return header->bytes + header->data_bytes;
  };
  bytes = inflate_if_gzip(std::move(bytes), source, max_inflated_bytes, size_from_header);
  return parse_idx(bytes.data(), bytes.size(), source);
}

IdxArray read_idx(const std::string& path) { return parse_idx_file(read_file_raw(path), path); }

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
  return dataset_from_idx(read_idx(images_path), read_idx(labels_path), images_path, labels_path);
}

Dataset dataset_from_idx(IdxArray images, IdxArray labels, const std::string& images_path,
                         const std::string& labels_path) {
  if (images.dims.size() != 3)
    throw Error(images_path + ": images must have 3 dimensions (count, rows, columns), found " +
                std::to_string(images.dims.size()));
  if (labels.dims.size() != 1)
    throw Error(labels_path + ": labels must have 1 dimension, found " + std::to_string(labels.dims.size()));
  if (images.dims[1] == 0 || images.dims[2] == 0)
    throw Error(images_path + ": images of " + std::to_string(images.dims[1]) + "x" + std::to_string(images.dims[2]) +
                " pixels are empty");
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
