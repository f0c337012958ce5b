#pragma once
// The IDX format of MNIST (and Fashion-MNIST): magic 00 00 <type> <rank>, big-endian dimensions,
// then the data. Only unsigned bytes (type 0x08), which is what those data sets use.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lenet {

struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;
};

// source names the bytes in error messages (usually the path).
IdxArray parse_idx(const std::uint8_t* bytes, std::size_t size, const std::string& source);
// Raw or .gz (natively).
IdxArray read_idx(const std::string& path);

// An image set with its labels: images [count, rows, cols] as bytes, labels 0..9.
struct Dataset {
  std::size_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> images;
  std::vector<std::uint8_t> labels;

  const std::uint8_t* image(std::size_t i) const { return images.data() + i * rows * cols; }
};

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

}  // namespace lenet
