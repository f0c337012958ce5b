#include "safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "file_io.hpp"

namespace lenet {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian; add byte swapping");

namespace {

constexpr std::uint64_t max_header_bytes = 100'000'000;

std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

}  // namespace

const NamedTensor* SafetensorsFile::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::uint8_t> serialize_safetensors(const SafetensorsFile& file) {
  std::vector<const NamedTensor*> order;
  for (const auto& t : file.tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::size_t offset = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const NamedTensor& t = *order[i];
    if (i && order[i - 1]->name == t.name) throw Error("safetensors: tensor '" + t.name + "' appears twice");
    if (t.name == "__metadata__" || t.name.empty()) throw Error("safetensors: invalid tensor name '" + t.name + "'");
    if (element_count(t.shape) != t.data.size())
      throw Error("safetensors: tensor '" + t.name + "' has " + std::to_string(t.data.size()) +
                  " values but its shape needs " + std::to_string(element_count(t.shape)));
    const std::size_t bytes = t.data.size() * sizeof(float);
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::vector<std::uint8_t> out(8 + text.size() + offset);
  const std::uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, text.data(), text.size());
  std::uint8_t* data = out.data() + 8 + text.size();
  for (const NamedTensor* t : order) {
    std::memcpy(data, t->data.data(), t->data.size() * sizeof(float));
    data += t->data.size() * sizeof(float);
  }
  return out;
}

SafetensorsFile parse_safetensors(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  if (size < 8) throw Error(source + ": too short for a safetensors file (" + std::to_string(size) + " bytes)");
  std::uint64_t header_len;
  std::memcpy(&header_len, bytes, 8);
  if (header_len > max_header_bytes) throw Error(source + ": header length " + std::to_string(header_len) + " is absurd; not a safetensors file?");
  if (header_len > size - 8)
    throw Error(source + ": header length " + std::to_string(header_len) + " runs past the end of the file (" +
                std::to_string(size) + " bytes)");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes + 8, bytes + 8 + header_len);
  } catch (const nlohmann::json::exception&) {
    throw Error(source + ": the header is not valid JSON");
  }
  if (!header.is_object()) throw Error(source + ": the header is not a JSON object");

  SafetensorsFile file;
  const std::uint8_t* buffer = bytes + 8 + header_len;
  const std::size_t buffer_size = size - 8 - header_len;
  struct Span { std::size_t begin, end; std::string name; };
  std::vector<Span> spans;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) throw Error(source + ": __metadata__ must be an object of strings");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) throw Error(source + ": __metadata__ value for '" + key + "' is not a string");
        file.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string what = source + ": tensor '" + name + "'";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      throw Error(what + " needs dtype, shape and data_offsets");
    if (!entry["dtype"].is_string()) throw Error(what + " has a dtype that is not a string");
    const std::string dtype = entry["dtype"].get<std::string>();
    if (dtype != "F32") throw Error(what + " has dtype " + dtype + "; only F32 is supported");
    const auto& shape = entry["shape"];
    const auto& offsets = entry["data_offsets"];
    if (!shape.is_array()) throw Error(what + " has a shape that is not a list");
    NamedTensor t;
    t.name = name;
    std::uint64_t count = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned()) throw Error(what + " has a shape entry that is not a non-negative whole number");
      const std::uint64_t dim = d.get<std::uint64_t>();
      if (dim > buffer_size || (count *= dim) > buffer_size) throw Error(what + " has a shape larger than the file's data");
      t.shape.push_back(static_cast<std::size_t>(dim));
    }
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      throw Error(what + " needs data_offsets [begin, end] of non-negative whole numbers");
    const std::uint64_t begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
    if (begin > end) throw Error(what + " has data_offsets that end before they begin");
    if (end > buffer_size)
      throw Error(what + " has data_offsets ending at " + std::to_string(end) + ", past the end of the data (" +
                  std::to_string(buffer_size) + " bytes)");
    if (end - begin != count * sizeof(float))
      throw Error(what + " has " + std::to_string(end - begin) + " bytes of data, but its shape needs " +
                  std::to_string(count * sizeof(float)));
    t.data.resize(static_cast<std::size_t>(count));
    std::memcpy(t.data.data(), buffer + begin, static_cast<std::size_t>(end - begin));
    spans.push_back({static_cast<std::size_t>(begin), static_cast<std::size_t>(end), name});
    file.tensors.push_back(std::move(t));
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::size_t covered = 0;
  for (const Span& s : spans) {
    if (s.begin < covered) throw Error(source + ": tensor '" + s.name + "' overlaps another tensor's data");
    if (s.begin > covered) throw Error(source + ": bytes " + std::to_string(covered) + ".." + std::to_string(s.begin) + " of the data belong to no tensor");
    covered = s.end;
  }
  if (covered != buffer_size)
    throw Error(source + ": the last " + std::to_string(buffer_size - covered) + " bytes of the data belong to no tensor");
  return file;
}

void save_safetensors(const std::string& path, const SafetensorsFile& file) {
  write_file_atomic(path, serialize_safetensors(file));
}

SafetensorsFile load_safetensors(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  return parse_safetensors(bytes.data(), bytes.size(), path);
}

}  // namespace lenet
