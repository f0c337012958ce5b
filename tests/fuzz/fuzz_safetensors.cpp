// libFuzzer harness: a model file as lenet-train and the page load it (safetensors header and data,
// then the architecture in its metadata, checked against the tensors before anything is built).
// Anything but a lenet::Error is a finding. Properties: a file that parses serialises to bytes that
// parse to the same tensors; a model that loads has exactly its architecture's parameters.
#include <cmath>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/base/error.hpp"
#include "core/formats/model_io.hpp"
#include "core/formats/safetensors.hpp"

namespace {

// Values compare bit for bit (a -0 stays -0), except that a NaN need only stay a NaN: writing a
// half float quiets a signalling NaN, as the hardware conversions do.
bool same_values(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::isnan(a[i]) && std::isnan(b[i])) && std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return false;
  return true;
}

bool same_tensors(const lenet::SafetensorsFile& a, const lenet::SafetensorsFile& b) {
  if (a.tensors.size() != b.tensors.size() || a.metadata != b.metadata) return false;
  for (const lenet::NamedTensor& t : a.tensors) {
    const lenet::NamedTensor* u = b.find(t.name);
    if (!u || u->shape != t.shape || u->dtype != t.dtype || !same_values(u->data, t.data)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lenet::SafetensorsFile file;
  try {
    file = lenet::parse_safetensors(data, size, "fuzz.safetensors");
  } catch (const lenet::Error&) {
    return 0;
  }
  try {
    const std::vector<std::uint8_t> again = lenet::serialize_safetensors(file);
    if (!same_tensors(file, lenet::parse_safetensors(again.data(), again.size(), "again"))) std::abort();
  } catch (const lenet::Error&) {
    // Reading is as lenient as the reference (any valid UTF-8 in names); writing refuses a few
    // things reading allows, such as a half-float value that does not fit: a sentence, never a crash.
  }
  try {
    const lenet::Model model = lenet::model_from_safetensors(file, "fuzz.safetensors");
    if (model.network.parameter_count() > lenet::max_parameters) std::abort();
  } catch (const lenet::Error&) {
  }
  return 0;
}
