// libFuzzer harness: drawing JSON as the page sends it and eval-drawings reads it, then the whole
// preprocessing (rasterise, crop, scale, centre) that turns a drawing into the model's input.
// Anything but a lenet::Error is a finding. Properties: every pixel is ink in [0, 1]; an empty
// result has no ink; a drawing written back as JSON reads back the same.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/ink/drawing.hpp"
#include "core/base/error.hpp"
#include "core/ink/preprocess.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const lenet::Drawing& drawing : lenet::drawings_from_json(text, "fuzz.json")) {
      const lenet::Digit28 digit = lenet::preprocess_drawing(drawing);
      for (float v : digit.pixels)
        if (!(v >= 0.0f && v <= 1.0f) || (digit.empty && v != 0.0f)) std::abort();
      if (lenet::drawing_to_json(lenet::drawing_from_json(lenet::drawing_to_json(drawing))) !=
          lenet::drawing_to_json(drawing))
        std::abort();
    }
  } catch (const lenet::Error&) {
  }
  try {
    lenet::labelled_drawings_from_json(text, "fuzz.json");
  } catch (const lenet::Error&) {
  }
  return 0;
}
