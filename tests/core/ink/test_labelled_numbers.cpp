// Labelled numbers (core/ink/drawing.hpp): drawings whose "label" is a string of digits and
// separators, read and written back exactly; integer labels read as their digits; a label that is
// no number is one clear error naming the drawing's index.
#include <doctest/doctest.h>

#include <string>

#include "core/base/error.hpp"
#include "core/ink/drawing.hpp"

using namespace lenet;

namespace {

const std::string drawing = R"("width": 300, "height": 100, "penWidth": 8, "strokes": [[[10, 20], [10, 80]]])";

// The message of the lenet::Error reading `json` gives, or "no error".
std::string error_of(const std::string& json) {
  try {
    labelled_numbers_from_json(json, "n.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("labelled numbers: which labels are numbers") {
  for (const char* label : {"2026", "5/27", "679-1238", "12:30", "3.50", "1,000", "7"}) CHECK(is_number_label(label));
  for (const char* label : {"", "12a", "1 2", "+1", "½"}) CHECK_FALSE(is_number_label(label));
  CHECK_FALSE(is_number_character('\0'));
}

TEST_CASE("labelled numbers: string labels round trip, integer labels read as their digits") {
  const auto read = labelled_numbers_from_json("[{" + drawing + R"(, "label": "5/27", "style": "separator"}, {)" + drawing +
                                               R"(, "label": 2026}])");
  REQUIRE(read.size() == 2);
  CHECK(read[0].label == "5/27");
  CHECK(read[0].style == "separator");
  CHECK(read[1].label == "2026");
  CHECK(read[0].drawing.strokes[0][1].y == 80);
  const auto back = labelled_numbers_from_json(labelled_numbers_to_json(read));
  REQUIRE(back.size() == 2);
  CHECK(back[0].label == "5/27");
  CHECK(back[1].label == "2026");
  CHECK(back[0].style == "separator");
  CHECK(labelled_numbers_to_json(back) == labelled_numbers_to_json(read));
}

TEST_CASE("labelled numbers: one clear error naming the drawing's index") {
  const std::string good = "{" + drawing + R"(, "label": "12"}, )";
  CHECK(error_of("[" + good + "{" + drawing + R"(, "label": "12a"}])") ==
        "n.json: drawing 1: \"label\" must be digits and the separators -/.:, (\"2026\", \"5/27\"), not \"12a\"");
  CHECK(error_of("[" + good + "{" + drawing + R"(, "label": ""}])") ==
        "n.json: drawing 1: \"label\" must be digits and the separators -/.:, (\"2026\", \"5/27\"), not \"\"");
  CHECK(error_of("[" + good + "{" + drawing + R"(, "label": 3.5}])") ==
        "n.json: drawing 1: \"label\" must be a whole number >= 0, not 3.5");
  CHECK(error_of("[" + good + "{" + drawing + "}]") == "n.json: drawing 1 has no \"label\"");
  CHECK(error_of("3").find("n.json must be a list of labelled drawings") == 0);
  const LabelledNumber bad{{10, 10, 1, {}}, "1x", ""};
  CHECK_THROWS_WITH_AS(labelled_numbers_to_json({bad}), "drawing 0: the label must be digits and the separators -/.:, (\"2026\", \"5/27\"), not \"1x\"",
                       Error);
}
