#pragma once
// A digit drawn on the page's canvas: polylines drawn with a round pen. The page sends it as JSON
//   {"width": W, "height": H, "penWidth": P, "strokes": [[[x, y], ...], ...]}
// (canvas pixels, y down). Points may lie outside the canvas: the pen may leave it mid-stroke.

#include <string>
#include <vector>

namespace lenet {

struct Point {
  float x = 0, y = 0;
};

struct Drawing {
  float width = 0, height = 0, pen_width = 0;
  std::vector<std::vector<Point>> strokes;
};

// Throws lenet::Error naming `source` unless the sizes are finite and >= 0, the pen width is a
// finite number > 0 and every point is finite.
void check_drawing(const Drawing& drawing, const std::string& source = "drawing");

// Parse one drawing object; `source` names the text in error messages (a file name, say).
Drawing drawing_from_json(const std::string& json_text, const std::string& source = "drawing JSON");
// Parse one drawing object or a list of them.
std::vector<Drawing> drawings_from_json(const std::string& json_text, const std::string& source = "drawing JSON");
// Numbers are written in the shortest form that reads back to the same float ("0.1", not
// "0.10000000149011612"), so a drawing written and read again is the same drawing, bit for bit.
std::string drawing_to_json(const Drawing& drawing);

// A drawing with the class it shows, for measuring a model on pen data: the page's object plus
//   "label": the class, a whole number >= 0 (7 or 7.0; not "7", 3.5 or -1). Whether it is below
//            the model's class count is for the caller to check: the drawing does not know.
//   "style": optional, a tag such as "flagged-1"; without it (or "") the drawing has no style.
struct LabelledDrawing {
  Drawing drawing;
  int label = 0;
  std::string style;  // empty: no style
};

// Parse a JSON list of labelled drawings (a single object counts as a list of one). Errors name
// the drawing by its index in the list, counting from 0: "FILE: drawing 17 has no \"label\"".
std::vector<LabelledDrawing> labelled_drawings_from_json(const std::string& json_text,
                                                         const std::string& source = "labelled drawing JSON");
// The JSON list labelled_drawings_from_json reads back exactly (numbers as drawing_to_json writes
// them; "style" only where it is not empty). Throws lenet::Error naming the index of a drawing
// that could not be read back: one check_drawing rejects, or a negative label.
std::string labelled_drawings_to_json(const std::vector<LabelledDrawing>& drawings);

// The separators people write inside numbers (phone numbers, dates, times, amounts).
inline constexpr char number_separators[] = "-/.:,";
// A digit or one of number_separators.
bool is_number_character(char c);
// Not empty, and only number characters: "2026", "5/27", "679-1238".
bool is_number_label(const std::string& label);

// A drawing of a whole number with its reading, for measuring the number reader: the page's object plus
//   "label": the number as a string of digits and separators ("2026", "5/27"); a whole number >= 0
//            (7) reads as its digits ("7"), so files of labelled digits are numbers too;
//   "style": optional, as for LabelledDrawing (written numbers carry their difficulties here).
struct LabelledNumber {
  Drawing drawing;
  std::string label;
  std::string style;
};
// As labelled_drawings_from_json; a label that is not a number is an error naming the drawing's index.
std::vector<LabelledNumber> labelled_numbers_from_json(const std::string& json_text,
                                                       const std::string& source = "labelled number JSON");
// The JSON list labelled_numbers_from_json reads back exactly (labels as strings).
std::string labelled_numbers_to_json(const std::vector<LabelledNumber>& numbers);

}  // namespace lenet
