// Labelled drawings: the page's drawing JSON plus "label" and an optional "style", read and
// written back exactly, with errors that name the drawing's index.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/ink/drawing.hpp"
#include "core/base/error.hpp"

using namespace lenet;

namespace {

// The message of the lenet::Error that `run` throws, or "no error".
template <class Run>
std::string error_of(Run run) {
  try {
    run();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string labelled_error(const std::string& text) {
  return error_of([&] { labelled_drawings_from_json(text, "d.json"); });
}

std::string writer_error(const std::vector<LabelledDrawing>& drawings) {
  return error_of([&] { labelled_drawings_to_json(drawings); });
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_drawing(const Drawing& a, const Drawing& b) {
  if (!same_bits(a.width, b.width) || !same_bits(a.height, b.height) || !same_bits(a.pen_width, b.pen_width) ||
      a.strokes.size() != b.strokes.size())
    return false;
  for (std::size_t s = 0; s < a.strokes.size(); ++s) {
    if (a.strokes[s].size() != b.strokes[s].size()) return false;
    for (std::size_t p = 0; p < a.strokes[s].size(); ++p)
      if (!same_bits(a.strokes[s][p].x, b.strokes[s][p].x) || !same_bits(a.strokes[s][p].y, b.strokes[s][p].y))
        return false;
  }
  return true;
}

// A first drawing that is fine, then `second` (one JSON object) as drawing 1.
std::string with_second(const std::string& second) {
  return R"([{"width": 10, "height": 10, "penWidth": 1, "strokes": [], "label": 2}, )" + second + "]";
}

}  // namespace

TEST_CASE("labelled drawings: written and read back exactly, numbers short") {
  const std::vector<LabelledDrawing> drawings = {
      {{280, 280, 18.5f, {{{0.1f, 2.25f}, {3.5f, -4}}, {}, {{123.456f, 1e-7f}}}}, 7, "flagged-1"},
      {{300.5f, 200, 0.3f, {{{1.0f / 3.0f, 2.0f / 3.0f}}}}, 0, ""},
  };
  const std::string text = labelled_drawings_to_json(drawings);
  CHECK(text.find("0.1,") != std::string::npos);  // 0.1f, not 0.10000000149011612
  CHECK(text.find("0.10000000149") == std::string::npos);
  CHECK(text.find("\"style\":\"flagged-1\"") != std::string::npos);
  CHECK(text.find("\"style\"") == text.rfind("\"style\""));  // the second drawing has no style
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);     // "[", one line per drawing, "]"

  const std::vector<LabelledDrawing> back = labelled_drawings_from_json(text, "d.json");
  REQUIRE(back.size() == 2);
  for (std::size_t i = 0; i < back.size(); ++i) {
    CAPTURE(i);
    CHECK(same_drawing(back[i].drawing, drawings[i].drawing));
    CHECK(back[i].label == drawings[i].label);
    CHECK(back[i].style == drawings[i].style);
  }
  CHECK(labelled_drawings_to_json(back) == text);
  CHECK(labelled_drawings_to_json({}) == "[\n]\n");
  CHECK(labelled_drawings_from_json("[]").empty());
}

TEST_CASE("labelled drawings: any float survives the round trip bit for bit") {
  std::mt19937 random(5);
  std::uniform_int_distribution<std::uint32_t> bits;
  LabelledDrawing d{{1, 1, 1, {{}}}, 3, ""};
  while (d.drawing.strokes[0].size() < 20000) {
    float xy[2];
    for (float& v : xy) {
      const std::uint32_t b = bits(random);
      std::memcpy(&v, &b, sizeof v);
    }
    if (std::isfinite(xy[0]) && std::isfinite(xy[1])) d.drawing.strokes[0].push_back({xy[0], xy[1]});
  }
  const auto back = labelled_drawings_from_json(labelled_drawings_to_json({d}));
  REQUIRE(back.size() == 1);
  CHECK(same_drawing(back[0].drawing, d.drawing));
}

TEST_CASE("labelled drawings: labels and styles as the format allows them") {
  const auto one = labelled_drawings_from_json(
      R"({"width": 10, "height": 10, "penWidth": 1, "strokes": [[[1, 2]]], "label": 9, "style": "s"})");
  REQUIRE(one.size() == 1);  // a single object is a list of one
  CHECK(one[0].label == 9);
  CHECK(one[0].style == "s");
  CHECK(one[0].drawing.strokes[0][0].y == 2);
  const auto whole = labelled_drawings_from_json(with_second(R"({"width": 1, "height": 1, "penWidth": 1, "strokes": [], "label": 7.0})"));
  REQUIRE(whole.size() == 2);
  CHECK(whole[0].label == 2);
  CHECK(whole[1].label == 7);  // JSON does not tell 7.0 from 7
  CHECK(whole[1].style.empty());
}

TEST_CASE("labelled drawings: one clear error naming the drawing's index") {
  const std::string drawing = R"("width": 10, "height": 10, "penWidth": 1, "strokes": [])";
  CHECK(labelled_error(with_second("{" + drawing + "}")) == "d.json: drawing 1 has no \"label\"");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": "7"})")) ==
        "d.json: drawing 1: \"label\" must be a whole number >= 0, not \"7\"");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": 3.5})")) ==
        "d.json: drawing 1: \"label\" must be a whole number >= 0, not 3.5");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": -1})")) ==
        "d.json: drawing 1: \"label\" must be a whole number >= 0, not -1");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": null})")) ==
        "d.json: drawing 1: \"label\" must be a whole number >= 0, not null");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": 1e12})")) ==
        "d.json: drawing 1: \"label\" must be a whole number >= 0, not 1000000000000.0");
  CHECK(labelled_error(with_second("{" + drawing + R"(, "label": 1, "style": 5})")) ==
        "d.json: drawing 1: \"style\" must be a string (a tag such as \"flagged-1\")");
  CHECK(labelled_error(with_second(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [[[1, 2], [3]]], "label": 1})")) ==
        "d.json: drawing 1: stroke 0, point 1 must be a pair of numbers [x, y]");
  CHECK(labelled_error(with_second(R"({"width": 1, "height": 1, "penWidth": 2, "strokes": [3], "label": 1})")) ==
        "d.json: drawing 1: stroke 0 must be a list of [x, y] points");
  CHECK(labelled_error(with_second("[]")) ==
        "d.json: drawing 1 must be an object {\"width\", \"height\", \"penWidth\", \"strokes\"}");
  CHECK(labelled_error("{" + drawing + "}") == "d.json has no \"label\"");
  CHECK(labelled_error("3") ==
        "d.json must be a list of labelled drawings [{\"width\", \"height\", \"penWidth\", \"strokes\", \"label\"}, ...]");
  CHECK(labelled_error("[{") == "d.json is not valid JSON");
}

TEST_CASE("labelled drawings: the writer refuses what could not be read back, naming the index") {
  const LabelledDrawing good{{10, 10, 1, {}}, 1, ""};
  LabelledDrawing negative = good, no_pen = good, nan_point = good;
  negative.label = -1;
  no_pen.drawing.pen_width = 0;
  nan_point.drawing.strokes = {{{1, std::nanf("")}}};
  CHECK(writer_error({good, negative}) == "drawing 1: the label must be >= 0, not -1");
  CHECK(writer_error({good, no_pen}) == "drawing 1: penWidth must be a finite number > 0");
  CHECK(writer_error({good, good, nan_point}) == "drawing 2: stroke 0, point 0 is not a pair of finite numbers");
}
