#include "core/formats/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"
#include "core/base/tensor.hpp"
#include "core/base/half_float.hpp"

namespace lenet {

// F32 data is copied as is: safetensors stores little-endian floats, as this host does.
static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian; add byte swapping");

namespace {

constexpr std::uint64_t max_header_bytes = 100'000'000;

// What each dtype is called in the header, its size, and for the 16-bit ones their conversions.
struct DtypeInfo {
  Dtype dtype;
  const char* name;
  std::size_t bytes;
  std::uint16_t (*narrow)(float);
  float (*widen)(std::uint16_t);
};
constexpr DtypeInfo dtype_table[] = {
    {Dtype::f32, "F32", 4, nullptr, nullptr},
    {Dtype::f16, "F16", 2, float_to_f16_bits, f16_bits_to_float},
    {Dtype::bf16, "BF16", 2, float_to_bf16_bits, bf16_bits_to_float},
};
constexpr std::size_t widest_dtype_bytes = 4;

const DtypeInfo& info_of(Dtype dtype) {
  for (const DtypeInfo& info : dtype_table)
    if (info.dtype == dtype) return info;
  throw Error("safetensors: unknown dtype " + std::to_string(static_cast<int>(dtype)));  // a cast gone wrong
}

// The number of elements, or nothing when their bytes (in any dtype) would not fit in 64 bits
// (product_within checks before each multiplication).
std::optional<std::uint64_t> element_count(const std::vector<std::size_t>& shape) {
  return product_within(shape, std::numeric_limits<std::uint64_t>::max() / widest_dtype_bytes);
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "[";
  for (std::size_t d : shape) {
    if (text.size() > 1) text += ',';
    text += std::to_string(d);
  }
  return text + "]";
}

// The tensor's values in its dtype, little-endian, at out. A finite value that would become
// infinite is refused: the stored model would not be the one given.
void encode_values(const NamedTensor& t, std::uint8_t* out) {
  const DtypeInfo& dtype = info_of(t.dtype);
  if (!dtype.narrow) {
    if (!t.data.empty()) std::memcpy(out, t.data.data(), t.data.size() * sizeof(float));
    return;
  }
  for (float v : t.data) {
    const std::uint16_t bits = dtype.narrow(v);
    if (std::isfinite(v) && std::isinf(dtype.widen(bits))) {
      char value[32];
      std::snprintf(value, sizeof value, "%g", v);
      throw Error("safetensors: tensor '" + t.name + "' holds " + value + ", beyond the range of " + dtype.name +
                  "; store it as F32");
    }
    *out++ = static_cast<std::uint8_t>(bits);
    *out++ = static_cast<std::uint8_t>(bits >> 8);
  }
}

// count values stored in dtype at in, widened to float32.
std::vector<float> decode_values(const std::uint8_t* in, std::size_t count, Dtype dtype) {
  std::vector<float> values(count);
  const DtypeInfo& info = info_of(dtype);
  if (!info.widen) {
    if (count) std::memcpy(values.data(), in, count * sizeof(float));
    return values;
  }
  for (float& v : values) {
    v = info.widen(static_cast<std::uint16_t>(in[0] | in[1] << 8));
    in += 2;
  }
  return values;
}

}  // namespace

const char* dtype_name(Dtype dtype) { return info_of(dtype).name; }

std::optional<Dtype> dtype_from_name(const std::string& name) {
  for (const DtypeInfo& info : dtype_table)
    if (name == info.name) return info.dtype;
  return std::nullopt;
}

std::size_t dtype_bytes(Dtype dtype) { return info_of(dtype).bytes; }

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
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const NamedTensor& t = *order[i];
    if (i && order[i - 1]->name == t.name) throw Error("safetensors: tensor '" + t.name + "' appears twice");
    if (t.name == "__metadata__" || t.name.empty()) throw Error("safetensors: invalid tensor name '" + t.name + "'");
    const std::optional<std::uint64_t> count = element_count(t.shape);
    if (count != t.data.size())
      throw Error("safetensors: tensor '" + t.name + "' has " + std::to_string(t.data.size()) + " values but its shape " +
                  shape_text(t.shape) + " needs " + (count ? std::to_string(*count) : "more than any file can hold"));
    const std::uint64_t bytes = t.data.size() * dtype_bytes(t.dtype);
    header[t.name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception&) {
    throw Error("safetensors: a tensor name or metadata string is not valid UTF-8");
  }
  text.append((8 - text.size() % 8) % 8, ' ');  // the reference implementation aligns the data to 8 bytes
  std::vector<std::uint8_t> out(8 + text.size() + static_cast<std::size_t>(offset));
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(std::uint64_t{text.size()} >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  std::uint8_t* data = out.data() + 8 + text.size();
  for (const NamedTensor* t : order) {
    encode_values(*t, data);
    data += t->data.size() * dtype_bytes(t->dtype);
  }
  return out;
}

namespace {

struct Span {
  std::uint64_t begin, end;
  std::string name;
};

// One pass over the header that builds nothing: refuses a key given twice in one object
// (nlohmann::json would keep the last silently, and a header naming a tensor twice is ambiguous)
// and a header listing more tensors than any file here holds, before the header is built into a
// DOM. (nlohmann's callback parser could check keys while building, but re-walks the parent
// object after each entry: quadratic in the number of tensors, minutes for a crafted 99 MB header.)
class HeaderScan final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit HeaderScan(const std::string& source) : source_(source) {}

  bool start_object(std::size_t) override {
    ++depth_;
    open_objects_.emplace_back();
    return true;
  }
  bool end_object() override {
    --depth_;
    open_objects_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& key) override {
    const bool top_level = depth_ == 1;
    if (!open_objects_.back().insert(key).second) {
      if (top_level) throw Error(source_ + ": the header lists '" + key + "' twice");
      throw Error(source_ + ": the header repeats the key '" + key + "' inside one object");
    }
    if (top_level && key != "__metadata__" && ++tensors_ > max_tensors_per_file)
      throw Error(source_ + ": the header lists more than " + std::to_string(max_tensors_per_file) +
                  " tensors; not a model or checkpoint of this project");
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }

 private:
  const std::string& source_;
  std::vector<std::set<std::string>> open_objects_;  // the keys seen in each object still open
  std::size_t depth_ = 0;                            // objects and arrays still open
  std::size_t tensors_ = 0;
};

// Both passes are linear in the header's size.
nlohmann::json parse_header(const std::uint8_t* text, std::size_t size, const std::string& source) {
  HeaderScan scan(source);
  bool valid = false;
  try {
    valid = nlohmann::json::sax_parse(text, text + size, &scan);
  } catch (const nlohmann::json::exception&) {
  }
  if (!valid) throw Error(source + ": the header is not valid JSON");
  const nlohmann::json header = nlohmann::json::parse(text, text + size);
  if (!header.is_object()) throw Error(source + ": the header is not a JSON object");
  if (text[0] != '{') throw Error(source + ": the header must start with '{'");  // as the reference requires
  return header;
}

std::map<std::string, std::string> parse_metadata(const nlohmann::json& entry, const std::string& source) {
  std::map<std::string, std::string> metadata;
  if (entry.is_null()) return metadata;  // the reference implementation accepts null for "none"
  if (!entry.is_object()) throw Error(source + ": __metadata__ must be an object mapping names to strings");
  for (const auto& [key, value] : entry.items()) {
    if (!value.is_string()) throw Error(source + ": __metadata__ value for '" + key + "' is not a string");
    metadata[key] = value.get<std::string>();
  }
  return metadata;
}

// One tensor's entry, checked against the byte buffer; its data is copied out.
NamedTensor parse_tensor(const std::string& name, const nlohmann::json& entry, const std::uint8_t* buffer,
                         std::uint64_t buffer_size, const std::string& source, Span& span) {
  const std::string what = source + ": tensor '" + name + "'";
  if (!entry.is_object()) throw Error(what + " must be an object with dtype, shape and data_offsets");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(key)) throw Error(what + " has no " + key);
  const auto& dtype = entry["dtype"];
  const auto& shape = entry["shape"];
  const auto& offsets = entry["data_offsets"];
  if (!dtype.is_string()) throw Error(what + " has a dtype that is not a string");
  const std::optional<Dtype> stored = dtype_from_name(dtype.get<std::string>());
  if (!stored) throw Error(what + " has dtype " + dtype.get<std::string>() + "; only F32, F16 and BF16 are supported");
  if (!shape.is_array()) throw Error(what + " has a shape that is not a list");
  NamedTensor t;
  t.name = name;
  t.dtype = *stored;
  for (const auto& d : shape) {
    if (!d.is_number_unsigned()) throw Error(what + " has a shape entry that is not a non-negative whole number");
    const std::uint64_t dim = d.get<std::uint64_t>();
    if (dim > std::numeric_limits<std::size_t>::max())
      throw Error(what + " has a dimension of " + std::to_string(dim) + ", too large for this build");
    t.shape.push_back(static_cast<std::size_t>(dim));
  }
  const std::optional<std::uint64_t> count = element_count(t.shape);
  if (!count) throw Error(what + " has shape " + shape_text(t.shape) + ", more data than any file can hold");
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned())
    throw Error(what + " needs data_offsets [begin, end] of non-negative whole numbers");
  const std::uint64_t begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
  if (begin > end) throw Error(what + " has data_offsets that end before they begin");
  if (end > buffer_size)
    throw Error(what + " has data_offsets ending at " + std::to_string(end) + ", past the end of the data (" +
                std::to_string(buffer_size) + " bytes)");
  const std::uint64_t bytes = *count * dtype_bytes(t.dtype);
  if (end - begin != bytes)
    throw Error(what + " has " + std::to_string(end - begin) + " bytes of data, but its shape " + shape_text(t.shape) +
                " needs " + std::to_string(bytes) + " as " + dtype_name(t.dtype));
  t.data = decode_values(buffer + begin, static_cast<std::size_t>(*count), t.dtype);
  span = {begin, end, name};
  return t;
}

// Like the reference implementation: the tensors, in offset order, tile the buffer exactly.
void check_tiling(std::vector<Span> spans, std::uint64_t buffer_size, const std::string& source) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  std::uint64_t covered = 0;
  const Span* previous = nullptr;
  for (const Span& s : spans) {
    if (s.begin < covered)
      throw Error(source + ": tensors '" + previous->name + "' and '" + s.name + "' overlap in the data");
    if (s.begin > covered)
      throw Error(source + ": bytes " + std::to_string(covered) + ".." + std::to_string(s.begin) +
                  " of the data belong to no tensor");
    covered = s.end;
    previous = &s;
  }
  if (covered != buffer_size)
    throw Error(source + ": the last " + std::to_string(buffer_size - covered) + " bytes of the data belong to no tensor");
}

}  // namespace

SafetensorsFile parse_safetensors(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
  if (size < 8) throw Error(source + ": too short for a safetensors file (" + std::to_string(size) + " bytes)");
  std::uint64_t header_len = 0;
  for (int i = 0; i < 8; ++i) header_len |= std::uint64_t{bytes[i]} << (8 * i);
  if (header_len > max_header_bytes)
    throw Error(source + ": header length " + std::to_string(header_len) + " is absurd; not a safetensors file?");
  if (header_len > size - 8)
    throw Error(source + ": header length " + std::to_string(header_len) + " runs past the end of the file (" +
                std::to_string(size) + " bytes)");
  const nlohmann::json header = parse_header(bytes + 8, static_cast<std::size_t>(header_len), source);
  const std::uint8_t* buffer = bytes + 8 + header_len;
  const std::uint64_t buffer_size = size - 8 - header_len;

  SafetensorsFile file;
  std::vector<Span> spans;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      file.metadata = parse_metadata(entry, source);
    } else {
      file.tensors.push_back(parse_tensor(name, entry, buffer, buffer_size, source, spans.emplace_back()));
    }
  }
  check_tiling(std::move(spans), buffer_size, source);
  return file;
}

void save_safetensors(const std::string& path, const SafetensorsFile& file) {
  write_file_atomic(path, serialize_safetensors(file));
}

SafetensorsFile load_safetensors(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file_raw(path);
  return parse_safetensors(bytes.data(), bytes.size(), path);
}

}  // namespace lenet
