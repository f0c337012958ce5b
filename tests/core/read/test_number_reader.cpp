// The number reader (core/read/number_reader.hpp) with the page's default model on numbers set
// together from MNIST test digits traced into strokes (core/ink/written_numbers.hpp): where the
// cutting goes wrong for the obvious approach (a two-stroke 4 or 5 split, two close digits
// merged, a late bar), the separators, and the search itself against every path enumerated.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "core/base/error.hpp"
#include "core/formats/idx.hpp"
#include "core/ink/trace.hpp"
#include "core/ink/written_numbers.hpp"
#include "core/read/inference.hpp"
#include "core/read/number_reader.hpp"

using namespace lenet;

namespace {

constexpr float line_height = 150, pen = 15;

Model& web_model() {
  static Model model = load_model(LENET_WEB_MODELS_DIR "/lenet-web.safetensors");
  return model;
}

struct TracedTestDigits {
  std::vector<TracedDigit> traced;
  std::vector<std::uint8_t> labels;
};

// The first 300 MNIST test digits, traced once for the whole suite.
const TracedTestDigits& test_digits() {
  static const TracedTestDigits digits = [] {
    const Dataset test = load_idx_dataset(LENET_MNIST_DIR "/t10k-images-idx3-ubyte", LENET_MNIST_DIR "/t10k-labels-idx1-ubyte");
    TracedTestDigits d;
    for (std::size_t i = 0; i < 300; ++i) {
      d.traced.push_back(trace_digit(test.image(i), test.rows));
      d.labels.push_back(test.labels[i]);
    }
    return d;
  }();
  return digits;
}

// The first test digit of class `label` that traces into `strokes` strokes and that the model reads
// right drawn alone, as a glyph.
Glyph digit(int label, std::size_t strokes) {
  const TracedTestDigits& d = test_digits();
  for (std::size_t i = 0; i < d.traced.size(); ++i) {
    if (d.labels[i] != label || d.traced[i].strokes.size() != strokes) continue;
    const Drawing alone = write_number({digit_glyph(d.traced[i])}, {GlyphPlacement{}}, line_height, pen);
    const Prediction p = classify_digit(web_model().network, web_model().info.normalization, preprocess_drawing(alone));
    if (top_classes(p.probabilities, 1)[0] == std::size_t(label)) return digit_glyph(d.traced[i]);
  }
  FAIL("no test digit " << label << " of " << strokes << " strokes among the first 300");
  return {};
}

Drawing number(const std::vector<Glyph>& glyphs, float gap) {
  std::vector<GlyphPlacement> at(glyphs.size());
  for (GlyphPlacement& p : at) p.gap = gap;
  return write_number(glyphs, at, line_height, pen);
}

NumberReading read(const Drawing& d) {
  return read_number(web_model().network, web_model().info.normalization, d).at(0);
}

// The best score over every path through the lattice, found by trying them all.
float exhaustive_best(const NumberLattice& lattice) {
  float best = -1e30f;
  std::vector<std::pair<std::size_t, std::size_t>> path;
  std::function<void(std::size_t)> extend = [&](std::size_t position) {
    if (position == lattice.order.size()) {
      best = std::max(best, path_score(lattice, path));
      return;
    }
    for (std::size_t count = 1; count <= max_piece_strokes; ++count) {
      const Piece* piece = lattice.piece_at(position, count);
      if (!piece) continue;
      for (std::size_t o = 0; o < piece->options.size(); ++o) {
        path.emplace_back(std::size_t(piece - lattice.pieces.data()), o);
        extend(position + count);
        path.pop_back();
      }
    }
  };
  extend(0);
  return best;
}

// A glyph's strokes moved by (dx, dy) line heights from stroke `from` on.
Glyph moved_apart(Glyph g, std::size_t from, float dx, float dy) {
  for (std::size_t s = from; s < g.strokes.size(); ++s)
    for (Point& p : g.strokes[s]) p.x += dx, p.y += dy;
  for (const Stroke& s : g.strokes)
    for (const Point& p : s) g.width = std::max(g.width, p.x);
  return g;
}

}  // namespace

TEST_CASE("number reader: each separator's geometry on its own") {
  const Line line{100, 250};  // 150 px tall
  auto one = [](Box b, float slant = 0, float straightness = 1) { return PieceShape{b, {b}, slant, straightness}; };
  const PieceShape dash = one({100, 165, 160, 180});
  CHECK(dash_fit(dash, line) > 0.9f);
  CHECK(dash_fit(one({100, 235, 160, 250}), line) == 0);   // on the baseline: an underline, not a dash
  CHECK(dash_fit(one({100, 100, 115, 250}), line) == 0);   // tall: a 1
  const PieceShape slash = one({100, 100, 210, 250}, 38);
  CHECK(slash_fit(slash, line) > 0.9f);
  CHECK(slash_fit(one({100, 100, 115, 250}, 3), line) == 0);       // upright: a 1
  CHECK(slash_fit(one({100, 100, 155, 250}, 20), line) == 0);      // leaning as a 1 may
  CHECK(slash_fit(one({100, 100, 210, 250}, 38, 0.6f), line) == 0);  // curved
  CHECK(slash_fit(one({100, 200, 140, 250}, 38), line) == 0);      // short
  const PieceShape dot = one({100, 232, 118, 250});
  CHECK(dot_fit(dot, line) > 0.9f);
  CHECK(dot_fit(one({100, 160, 118, 178}), line) == 0);  // at mid height
  CHECK(dot_fit(one({100, 180, 170, 250}), line) == 0);  // big
  const Box upper{100, 140, 118, 158}, lower{102, 225, 120, 243};
  CHECK(colon_fit(PieceShape{union_box(upper, lower), {upper, lower}, 0, 0}, line) > 0.9f);
  const Box beside{160, 225, 178, 243};
  CHECK(colon_fit(PieceShape{union_box(lower, beside), {lower, beside}, 0, 0}, line) == 0);  // side by side: two dots
  const PieceShape comma = one({100, 225, 115, 275});
  CHECK(comma_fit(comma, line) > 0.9f);
  CHECK(comma_fit(dot, line) == 0);                       // a dot does not reach below the baseline
  CHECK(comma_fit(one({100, 100, 115, 275}), line) == 0);  // a tall stroke
  // Each fits its own separator only.
  CHECK(slash_fit(dash, line) == 0);
  CHECK(dot_fit(dash, line) == 0);
  CHECK(dash_fit(dot, line) == 0);
  CHECK(comma_fit(slash, line) == 0);
}

TEST_CASE("number reader: a digit drawn alone reads as classify_digit reads it") {
  const TracedTestDigits& d = test_digits();
  Model& m = web_model();
  std::size_t multi_stroke = 0;
  for (std::size_t i = 0; i < 60; ++i) {
    if (d.traced[i].strokes.empty()) continue;
    CAPTURE(i);
    const Drawing alone = number({digit_glyph(d.traced[i])}, 0);
    const Prediction p = classify_digit(m.network, m.info.normalization, preprocess_drawing(alone));
    const NumberReading r = read(alone);
    CHECK(r.text == std::string(1, char('0' + top_classes(p.probabilities, 1)[0])));
    REQUIRE(r.characters.size() == 1);
    CHECK(r.characters[0].probability == doctest::Approx(p.probabilities[top_classes(p.probabilities, 1)[0]]));
    CHECK(r.characters[0].strokes.size() == alone.strokes.size());
    multi_stroke += alone.strokes.size() > 1;
  }
  CHECK(multi_stroke >= 5);  // the cutting had something to get wrong
}

TEST_CASE("number reader: a two-stroke 4 and 5 whose bar is far from the rest stay one digit") {
  // The second stroke (the 4's stem or bar, the 5's hat) moved away from the first by a tenth of
  // the line's height, so that the two no longer touch.
  const Glyph four = moved_apart(digit(4, 2), 1, 0.1f, -0.05f), five = moved_apart(digit(5, 2), 1, 0.1f, -0.1f);
  const Glyph two = digit(2, 1), seven = digit(7, 1);
  CHECK(read(number({four}, 0)).text == "4");
  CHECK(read(number({five}, 0)).text == "5");
  CHECK(read(number({two, four, seven}, 0.3f)).text == "247");
  CHECK(read(number({seven, five, two}, 0.3f)).text == "752");
}

TEST_CASE("number reader: 11, 10 and 13 written close stay two digits") {
  const Glyph one = digit(1, 1), zero = digit(0, 1), three = digit(3, 1);
  for (const float gap : {0.05f, 0.12f}) {
    CAPTURE(gap);
    CHECK(read(number({one, one}, gap)).text == "11");
    CHECK(read(number({one, zero}, gap)).text == "10");
    CHECK(read(number({one, three}, gap)).text == "13");
  }
}

TEST_CASE("number reader: a late bar, written after the next digit, joins its own digit") {
  const Glyph four = digit(4, 2), five = digit(5, 2), two = digit(2, 1);
  std::vector<GlyphPlacement> at(3);
  at[1].gap = at[2].gap = 0.3f;
  at[0].late_stroke = true;
  const Drawing late = write_number({four, two, five}, at, line_height, pen);  // strokes: 4, 2, 4's last, 5, 5
  const NumberReading r = read(late);
  CHECK(r.text == "425");
  REQUIRE(r.characters.size() == 3);
  CHECK(r.characters[0].strokes == std::vector<std::size_t>{0, 2});
  CHECK(r.characters[1].strokes == std::vector<std::size_t>{1});
}

TEST_CASE("number reader: the separators - / : . read between digits") {
  const Glyph two = digit(2, 1), seven = digit(7, 1), zero = digit(0, 1);
  for (const char separator : {'-', '/', ':', '.'}) {
    CAPTURE(separator);
    const std::string expected = std::string("2") + separator + "70";
    const NumberReading r = read(number({two, separator_glyph(separator), seven, zero}, 0.25f));
    CHECK(r.text == expected);
  }
}

TEST_CASE("number reader: the search is deterministic and finds the best of all paths") {
  const Glyph four = digit(4, 2), one = digit(1, 1), five = digit(5, 2), three = digit(3, 1);
  Model& m = web_model();
  const std::vector<Drawing> cases = {number({four, one}, 0.1f), number({one, five, three}, 0.05f),
                                      number({five, separator_glyph(':'), four}, 0.2f), number({one, one, four}, -0.02f)};
  for (std::size_t c = 0; c < cases.size(); ++c) {
    CAPTURE(c);
    const NumberLattice lattice = number_lattice(m.network, m.info.normalization, cases[c]);
    const std::vector<NumberReading> readings = best_readings(lattice);
    REQUIRE(!readings.empty());
    CHECK(readings[0].score == doctest::Approx(exhaustive_best(lattice)).epsilon(1e-6));
    for (std::size_t k = 0; k < readings.size(); ++k) {
      CHECK(readings[k].score == doctest::Approx(path_score(lattice, readings[k].path)).epsilon(1e-6));
      if (k > 0) CHECK(readings[k].score <= readings[k - 1].score);
      for (std::size_t j = 0; j < k; ++j) CHECK(readings[k].text != readings[j].text);
    }
    const std::vector<NumberReading> again = read_number(m.network, m.info.normalization, cases[c]);
    REQUIRE(again.size() == readings.size());
    for (std::size_t k = 0; k < readings.size(); ++k) {
      CHECK(again[k].text == readings[k].text);
      CHECK(again[k].score == readings[k].score);
    }
  }
}

TEST_CASE("number reader: too many strokes is one clear error before any piece is read; no ink is no reading") {
  Drawing many{2000, 200, 10, {}};
  for (std::size_t i = 0; i <= max_number_strokes; ++i) many.strokes.push_back({{float(10 + 20 * i), 50}, {float(10 + 20 * i), 150}});
  Model& m = web_model();
  CHECK_THROWS_WITH_AS(read_number(m.network, m.info.normalization, many),
                       "a number may have at most 64 strokes; this drawing has 65", Error);
  const std::vector<NumberReading> none = read_number(m.network, m.info.normalization, Drawing{280, 280, 18, {{}, {}}});
  REQUIRE(none.size() == 1);
  CHECK(none[0].text.empty());
}
