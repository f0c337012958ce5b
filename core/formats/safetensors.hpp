#pragma once
// safetensors: 8-byte little-endian header length N, N bytes of JSON header (padded with
// spaces to a multiple of 8), then the byte buffer. The header maps tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the buffer) and may hold
// "__metadata__", a string-to-string map. Reading is as strict as the reference implementation:
// offsets in bounds, no overlaps, no holes, no name given twice. Writing lays the tensors out in
// name order with the metadata first, as Python's safetensors does (byte for byte, up to the
// order of metadata keys, which it leaves to a hash map).
// Tensors are float32 in memory. In the file they are F32, or F16/BF16 for shipped models
// (half the bytes): widened exactly on reading, rounded to nearest even on writing.
// Whether the names and shapes fit a network is checked on top of this (model_io).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lenet {

// How a tensor's values are stored in the file.
enum class Dtype { f32, f16, bf16 };

const char* dtype_name(Dtype dtype);                            // "F32", "F16", "BF16", as in the header
std::optional<Dtype> dtype_from_name(const std::string& name);  // exactly those names
std::size_t dtype_bytes(Dtype dtype);                           // per element

// A header listing more tensors is refused before it is parsed further: a crafted header can list
// millions of empty ones in under 100 MB. Generous: a network has two tensors per layer with
// weights, a checkpoint four times as many (the weights, two Adam moments, the best weights).
inline constexpr std::size_t max_tensors_per_file = 65536;

struct NamedTensor {
  std::string name;
  std::vector<std::size_t> shape;
  std::vector<float> data;
  Dtype dtype = Dtype::f32;  // as read from the file; how serialize_safetensors stores it
};

struct SafetensorsFile {
  std::map<std::string, std::string> metadata;
  std::vector<NamedTensor> tensors;

  const NamedTensor* find(const std::string& name) const;
};

// Throws lenet::Error naming the tensor where a finite value would become infinite in its dtype
// (beyond 65504 for F16): such a model cannot be stored that way.
std::vector<std::uint8_t> serialize_safetensors(const SafetensorsFile& file);
SafetensorsFile parse_safetensors(const std::uint8_t* bytes, std::size_t size, const std::string& source);

void save_safetensors(const std::string& path, const SafetensorsFile& file);  // atomic
SafetensorsFile load_safetensors(const std::string& path);                     // never gunzipped

}  // namespace lenet
