#include "core/ink/drawing.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"

namespace lenet {

namespace {

using nlohmann::json;
// nlohmann writes a number of its float type in the shortest form that reads back to the same
// value. With float as that type 0.1f is written "0.1"; widened to double it would be
// 0.10000000149011612, and a traced data set of thousands of drawings three times the size.
using compact_json = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t, std::uint64_t, float>;

bool finite(float v) { return std::isfinite(v); }

float number_field(const json& object, const char* key, const std::string& what) {
  const auto it = object.find(key);
  if (it == object.end()) throw Error(what + " has no \"" + key + "\" field");
  if (!it->is_number()) throw Error(what + ": \"" + key + "\" must be a number");
  return it->get<float>();
}

Drawing drawing_from_value(const json& value, const std::string& what) {
  if (!value.is_object())
    throw Error(what + " must be an object {\"width\", \"height\", \"penWidth\", \"strokes\"}");
  Drawing d;
  d.width = number_field(value, "width", what);
  d.height = number_field(value, "height", what);
  d.pen_width = number_field(value, "penWidth", what);
  const auto strokes = value.find("strokes");
  if (strokes == value.end()) throw Error(what + " has no \"strokes\" field");
  if (!strokes->is_array()) throw Error(what + ": \"strokes\" must be a list of strokes");
  d.strokes.reserve(strokes->size());
  for (std::size_t s = 0; s < strokes->size(); ++s) {
    const json& stroke = (*strokes)[s];
    const std::string where = what + ": stroke " + std::to_string(s);
    if (!stroke.is_array()) throw Error(where + " must be a list of [x, y] points");
    auto& points = d.strokes.emplace_back();
    points.reserve(stroke.size());
    for (std::size_t p = 0; p < stroke.size(); ++p) {
      const json& point = stroke[p];
      if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number())
        throw Error(where + ", point " + std::to_string(p) + " must be a pair of numbers [x, y]");
      points.push_back({point[0].get<float>(), point[1].get<float>()});
    }
  }
  check_drawing(d, what);
  return d;
}

// A whole number >= 0: JSON does not tell 7 from 7.0, so both are 7; "7", 3.5 and -1 are errors.
int label_field(const json& object, const std::string& what) {
  const auto it = object.find("label");
  if (it == object.end()) throw Error(what + " has no \"label\"");
  const double label = it->is_number() ? it->get<double>() : -1.0;
  if (!(label >= 0 && label <= std::numeric_limits<int>::max() && std::floor(label) == label))
    throw Error(what + ": \"label\" must be a whole number >= 0, not " + it->dump());
  return static_cast<int>(label);
}

std::string style_field(const json& object, const std::string& what) {
  const auto it = object.find("style");
  if (it == object.end()) return "";
  if (!it->is_string()) throw Error(what + ": \"style\" must be a string (a tag such as \"flagged-1\")");
  return it->get<std::string>();
}

LabelledDrawing labelled_drawing_from_value(const json& value, const std::string& what) {
  Drawing drawing = drawing_from_value(value, what);  // also says what an element must be
  return {std::move(drawing), label_field(value, what), style_field(value, what)};
}

// What a number's label may hold, for the errors of its reader and its writer alike.
std::string number_label_rule() { return std::string("digits and the separators ") + number_separators + " (\"2026\", \"5/27\")"; }

// A number's reading: digits and separators as a string, or a whole number as for one digit.
std::string number_label_field(const json& object, const std::string& what) {
  const auto it = object.find("label");
  if (it == object.end()) throw Error(what + " has no \"label\"");
  if (!it->is_string()) return std::to_string(label_field(object, what));
  const std::string label = it->get<std::string>();
  if (!is_number_label(label))
    throw Error(what + ": \"label\" must be " + number_label_rule() + ", not " + it->dump());
  return label;
}

LabelledNumber labelled_number_from_value(const json& value, const std::string& what) {
  Drawing drawing = drawing_from_value(value, what);
  return {std::move(drawing), number_label_field(value, what), style_field(value, what)};
}

// A list of drawings, or one drawing as a list of one, each read by `read(value, name)`; the
// name errors give it is "SOURCE: drawing I" in a list, SOURCE alone for a single object.
template <class Read>
auto read_drawing_list(const json& value, const std::string& source, Read read) {
  std::vector<decltype(read(value, source))> out;
  if (!value.is_array()) {
    out.push_back(read(value, source));
    return out;
  }
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(read(value[i], source + ": drawing " + std::to_string(i)));
  return out;
}

compact_json drawing_value(const Drawing& d) {
  compact_json strokes = compact_json::array();
  for (const auto& stroke : d.strokes) {
    compact_json points = compact_json::array();
    for (const Point& p : stroke) points.push_back({p.x, p.y});
    strokes.push_back(std::move(points));
  }
  return {{"width", d.width}, {"height", d.height}, {"penWidth", d.pen_width}, {"strokes", std::move(strokes)}};
}

json parse(const std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    throw Error(source + " is not valid JSON");
  }
}

// A JSON list of labelled drawings, one per line (a data set of thousands stays readable with
// grep, diff and head); `check_label(item, "drawing I")` throws for a label that would not read back.
template <class Labelled, class CheckLabel>
std::string labelled_list_json(const std::vector<Labelled>& items, CheckLabel check_label) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Labelled& d = items[i];
    const std::string what = "drawing " + std::to_string(i);
    check_drawing(d.drawing, what);
    check_label(d, what);
    compact_json value = drawing_value(d.drawing);
    value["label"] = d.label;
    if (!d.style.empty()) value["style"] = d.style;
    text += (i == 0 ? "\n" : ",\n") + value.dump();
  }
  return text + "\n]\n";
}

}  // namespace

void check_drawing(const Drawing& d, const std::string& source) {
  if (!finite(d.width) || !finite(d.height) || d.width < 0 || d.height < 0)
    throw Error(source + ": width and height must be finite numbers >= 0");
  if (!finite(d.pen_width) || d.pen_width <= 0) throw Error(source + ": penWidth must be a finite number > 0");
  for (std::size_t s = 0; s < d.strokes.size(); ++s)
    for (std::size_t p = 0; p < d.strokes[s].size(); ++p)
      if (!finite(d.strokes[s][p].x) || !finite(d.strokes[s][p].y))
        throw Error(source + ": stroke " + std::to_string(s) + ", point " + std::to_string(p) +
                    " is not a pair of finite numbers");
}

Drawing drawing_from_json(const std::string& json_text, const std::string& source) {
  return drawing_from_value(parse(json_text, source), source);
}

std::vector<Drawing> drawings_from_json(const std::string& json_text, const std::string& source) {
  return read_drawing_list(parse(json_text, source), source, drawing_from_value);
}

std::string drawing_to_json(const Drawing& d) { return drawing_value(d).dump(); }

std::vector<LabelledDrawing> labelled_drawings_from_json(const std::string& json_text, const std::string& source) {
  const json value = parse(json_text, source);
  if (!value.is_array() && !value.is_object())
    throw Error(source + " must be a list of labelled drawings [{\"width\", \"height\", \"penWidth\", \"strokes\", "
                         "\"label\"}, ...]");
  return read_drawing_list(value, source, labelled_drawing_from_value);
}

std::string labelled_drawings_to_json(const std::vector<LabelledDrawing>& drawings) {
  return labelled_list_json(drawings, [](const LabelledDrawing& d, const std::string& what) {
    if (d.label < 0) throw Error(what + ": the label must be >= 0, not " + std::to_string(d.label));
  });
}

std::vector<LabelledNumber> labelled_numbers_from_json(const std::string& json_text, const std::string& source) {
  const json value = parse(json_text, source);
  if (!value.is_array() && !value.is_object())
    throw Error(source + " must be a list of labelled drawings [{\"width\", \"height\", \"penWidth\", \"strokes\", "
                         "\"label\": \"2026\"}, ...]");
  return read_drawing_list(value, source, labelled_number_from_value);
}

std::string labelled_numbers_to_json(const std::vector<LabelledNumber>& numbers) {
  return labelled_list_json(numbers, [](const LabelledNumber& n, const std::string& what) {
    if (!is_number_label(n.label)) throw Error(what + ": the label must be " + number_label_rule() + ", not \"" + n.label + "\"");
  });
}

bool is_number_character(char c) { return (c >= '0' && c <= '9') || (c != '\0' && std::strchr(number_separators, c)); }

bool is_number_label(const std::string& label) {
  return !label.empty() && std::all_of(label.begin(), label.end(), is_number_character);
}

}  // namespace lenet
