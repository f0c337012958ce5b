#pragma once
// The IDX format of MNIST (and Fashion-MNIST): magic 00 00 <type> <rank>, big-endian dimensions,
// then the data. Only unsigned bytes (type 0x08), which is what those data sets use.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/formats/file_io.hpp"

namespace lenet {

struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;
};

struct IdxHeader {
  std::vector<std::uint32_t> dims;
  std::size_t bytes = 0;           // the header's own: 4 + 4 per dimension
  std::uint64_t data_bytes = 0;    // what the dimensions need after it
};

// The header at the start of bytes, or nothing while bytes are too few to hold all of it. Throws
// lenet::Error as soon as the first bytes cannot start an IDX file of unsigned bytes.
std::optional<IdxHeader> parse_idx_header(const std::uint8_t* bytes, std::size_t size, const std::string& source);

// source names the bytes in error messages (usually the path).
IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source);
// A whole file's bytes, raw or gzip (natively); gzip stops inflating past the size the header
// describes, or past max_inflated_bytes.
IdxArray parse_idx_file(std::vector<std::uint8_t> bytes, const std::string& source,
                        std::size_t max_inflated_bytes = default_max_inflated_bytes);
IdxArray read_idx(const std::string& path);  // parse_idx_file of the file at path

// An image set with its labels: images [count, rows, cols] as bytes, labels 0..9.
struct Dataset {
  std::size_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> images;
  std::vector<std::uint8_t> labels;

  const std::uint8_t* image(std::size_t i) const { return images.data() + i * rows * cols; }
};

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);
// The same from two parsed arrays (bytes that arrived some other way: the page's replay sample);
// the names stand for the arrays in error messages.
Dataset dataset_from_idx(IdxArray images, IdxArray labels, const std::string& images_name,
                         const std::string& labels_name);

}  // namespace lenet
