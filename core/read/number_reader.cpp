#include "core/read/number_reader.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/read/inference.hpp"

namespace lenet {

namespace {

// The geometry's judgement of a piece read as a digit, as factors of its probability. Chosen by
// hand for this first increment (bench/numbers.sh prints what they give on the stand-in numbers).
struct DigitGeometry {
  float implausible = 0.02f;      // the not-a-digit judgement says no: half a digit, a dot, a bar
  float short_from = 0.2f, short_to = 0.55f;  // height / line height below short_to loses, at short_from all but gone
  float short_floor = 0.01f;
  float wide_from = 1.0f;         // width / line height beyond this: two digits merged, more likely
  float wide_cost = 4.0f;         // log-factor per line height of width beyond it
  float split_cost = 1.2f;        // a piece whose strokes leave a horizontal gap between them
  float split_gap_cost = 6.0f;    // and more per line height of that gap
};
constexpr DigitGeometry digit_geometry;

// Cutting between strokes whose horizontal extents overlap: the overlap as a share of the narrower
// stroke (beyond what the pen's width makes of two strokes that only touch) times this log-factor.
constexpr float cut_overlap_cost = 4.0f;
constexpr float min_log_probability = -14.0f;  // log of the smallest probability the scores tell apart

float clamp01(float x) { return std::clamp(x, 0.0f, 1.0f); }
// 0 below lo, 1 above hi, linear between.
float ramp(float x, float lo, float hi) { return clamp01((x - lo) / (hi - lo)); }
// 1 inside [b, c], falling to 0 at a and d.
float window(float x, float a, float b, float c, float d) { return ramp(x, a, b) * (1 - ramp(x, c, d)); }
float log_of(float p) { return std::max(min_log_probability, std::log(std::max(p, 1e-30f))); }

// A stroke's box with the pen's reach (a stroke has at least one point).
Box stroke_box(const std::vector<Point>& stroke, float pen_width) {
  const Box b = bounds({stroke});
  const float r = pen_width / 2;
  return {b.left - r, b.top - r, b.right + r, b.bottom + r};
}

float median(std::vector<float> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Line line_of(const std::vector<Box>& boxes) {
  float tallest = 0;
  for (const Box& b : boxes) tallest = std::max(tallest, b.height());
  std::vector<float> tops, bottoms;
  for (const Box& b : boxes)
    if (b.height() >= tallest / 2) tops.push_back(b.top), bottoms.push_back(b.bottom);
  return {median(tops), median(bottoms)};
}

PieceShape piece_shape(const Drawing& drawing, const std::vector<std::size_t>& strokes) {
  PieceShape s;
  for (std::size_t i : strokes) s.stroke_boxes.push_back(stroke_box(drawing.strokes[i], drawing.pen_width));
  s.box = std::accumulate(s.stroke_boxes.begin() + 1, s.stroke_boxes.end(), s.stroke_boxes[0], union_box);
  if (strokes.size() == 1) {
    const std::vector<Point>& st = drawing.strokes[strokes[0]];
    const float length = path_length(st);
    // From the lower end to the upper one, so that a '/' leans right whichever way it was drawn.
    const Point low = st.front().y >= st.back().y ? st.front() : st.back();
    const Point high = st.front().y >= st.back().y ? st.back() : st.front();
    const float ends = std::hypot(high.x - low.x, high.y - low.y);
    s.straightness = length > 0 ? ends / length : 1.0f;
    s.slant_degrees = ends > 0 ? std::atan2(high.x - low.x, low.y - high.y) * 180.0f / 3.14159265f : 0.0f;
  }
  return s;
}

// A stroke no bigger than a dot: at most `size` line heights either way.
float tininess(const Box& b, const Line& line, float size) {
  return 1 - ramp(std::max(b.width(), b.height()) / line.height(), size, size * 1.5f);
}

// Every way of reading `piece` as a digit: the network's top classes, each weighed by the geometry.
std::vector<PieceOption> digit_options(const Prediction& p, const PieceShape& shape, const Line& line) {
  const DigitGeometry& g = digit_geometry;
  const float height = shape.box.height() / line.height(), width = shape.box.width() / line.height();
  float log_factor = std::log(std::max(g.short_floor, ramp(height, g.short_from, g.short_to))) -
                     g.wide_cost * std::max(0.0f, width - g.wide_from);
  if (!p.plausible) log_factor += std::log(g.implausible);
  // Strokes whose horizontal extents leave a gap: two characters side by side, more likely than one.
  std::vector<Box> boxes = shape.stroke_boxes;
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.left < b.left; });
  float reach = boxes[0].right, gaps = 0;
  for (const Box& b : boxes) {
    gaps += std::max(0.0f, b.left - reach);
    reach = std::max(reach, b.right);
  }
  if (gaps > 0) log_factor -= g.split_cost + g.split_gap_cost * gaps / line.height();
  std::vector<PieceOption> out;
  for (std::size_t c : top_classes(p.probabilities, max_piece_options))
    out.push_back({char('0' + c), p.probabilities[c], log_of(p.probabilities[c]) + log_factor});
  return out;
}

std::vector<PieceOption> separator_options(const PieceShape& shape, const Line& line) {
  using Fit = float (*)(const PieceShape&, const Line&);
  const std::pair<char, Fit> separators[] = {{'-', dash_fit}, {'/', slash_fit}, {'.', dot_fit}, {':', colon_fit}, {',', comma_fit}};
  std::vector<PieceOption> out;
  for (const auto& [character, fit] : separators) {
    const float f = fit(shape, line);
    if (f > 0) out.push_back({character, f, log_of(f)});
  }
  return out;
}

// How much more than touching two strokes' horizontal extents overlap, as a share of the narrower.
float overlap_share(const Box& a, const Box& b, float pen_width) {
  const float overlap = std::min(a.right, b.right) - std::max(a.left, b.left) - pen_width / 2;
  const float narrower = std::max(pen_width, std::min(a.width(), b.width()) - pen_width);
  return clamp01(overlap / narrower);
}

std::vector<float> cut_scores(const std::vector<Box>& ordered, float pen_width) {
  std::vector<float> scores(ordered.size(), 0.0f);
  for (std::size_t p = 1; p < ordered.size(); ++p) {
    float share = 0;
    // Any stroke of a piece that could end at p against any of one that could start there.
    for (std::size_t a = p - std::min(p, max_piece_strokes); a < p; ++a)
      for (std::size_t b = p; b < std::min(ordered.size(), p + max_piece_strokes); ++b)
        share = std::max(share, overlap_share(ordered[a], ordered[b], pen_width));
    scores[p] = -cut_overlap_cost * share;
  }
  return scores;
}

Piece read_piece(Network& network, const Normalization& norm, const Drawing& drawing, const NumberLattice& lattice,
                 std::size_t first, std::size_t count) {
  Piece piece{first, count, {lattice.order.begin() + std::ptrdiff_t(first), lattice.order.begin() + std::ptrdiff_t(first + count)}, {}, true, {}};
  piece.shape = piece_shape(drawing, piece.strokes);
  Drawing alone{drawing.width, drawing.height, drawing.pen_width, {}};
  for (std::size_t i : piece.strokes) alone.strokes.push_back(drawing.strokes[i]);
  const Prediction p = classify_digit(network, norm, preprocess_drawing(alone));
  piece.plausible = p.plausible;
  piece.options = digit_options(p, piece.shape, lattice.line);
  // A separator needs a number around it: the piece that is the whole drawing reads as a digit,
  // exactly as classify_digit reads a digit drawn alone.
  if (count < lattice.order.size())
    for (const PieceOption& o : separator_options(piece.shape, lattice.line)) piece.options.push_back(o);
  std::stable_sort(piece.options.begin(), piece.options.end(),
                   [](const PieceOption& a, const PieceOption& b) { return a.score > b.score; });
  if (piece.options.size() > max_piece_options) piece.options.resize(max_piece_options);
  return piece;
}

ReadCharacter read_character(const Piece& piece, std::size_t option) {
  const PieceOption& o = piece.options[option];
  ReadCharacter c{o.character, o.probability, '?', 0, piece.strokes};
  if (piece.options.size() > 1) {
    const PieceOption& other = piece.options[option == 0 ? 1 : 0];
    c.runner_up = other.character, c.runner_up_probability = other.probability;
  }
  return c;
}

}  // namespace

float dash_fit(const PieceShape& s, const Line& line) {
  if (s.stroke_boxes.size() != 1 || line.height() <= 0 || s.box.width() <= 0) return 0;
  const float flat = 1 - ramp(s.box.height() / s.box.width(), 0.35f, 0.6f);
  const float size = window(s.box.width() / line.height(), 0.1f, 0.2f, 0.9f, 1.2f);
  const float mid = window((s.box.centre_y() - line.top) / line.height(), 0.2f, 0.3f, 0.7f, 0.8f);
  return flat * size * mid;
}

float slash_fit(const PieceShape& s, const Line& line) {
  if (s.stroke_boxes.size() != 1 || line.height() <= 0) return 0;
  return ramp(s.straightness, 0.85f, 0.95f) * window(s.slant_degrees, 28, 33, 65, 75) *
         ramp(s.box.height() / line.height(), 0.5f, 0.7f);
}

float dot_fit(const PieceShape& s, const Line& line) {
  if (s.stroke_boxes.size() != 1 || line.height() <= 0) return 0;
  const float on_baseline = 1 - ramp(std::abs(s.box.bottom - line.baseline) / line.height(), 0.15f, 0.3f);
  return tininess(s.box, line, 0.2f) * on_baseline;
}

float colon_fit(const PieceShape& s, const Line& line) {
  if (s.stroke_boxes.size() != 2 || line.height() <= 0) return 0;
  const Box& upper = s.stroke_boxes[0].centre_y() < s.stroke_boxes[1].centre_y() ? s.stroke_boxes[0] : s.stroke_boxes[1];
  const Box& lower = &upper == &s.stroke_boxes[0] ? s.stroke_boxes[1] : s.stroke_boxes[0];
  const float h = line.height();
  const float stacked = ramp((lower.centre_y() - upper.centre_y()) / h, 0.2f, 0.3f) *
                        (1 - ramp(std::abs(lower.centre_x() - upper.centre_x()) / h, 0.2f, 0.35f));
  const float within_line = (1 - ramp((line.top - upper.top) / h, 0.1f, 0.25f)) * (1 - ramp((lower.bottom - line.baseline) / h, 0.15f, 0.3f));
  return tininess(upper, line, 0.2f) * tininess(lower, line, 0.2f) * stacked * within_line;
}

float comma_fit(const PieceShape& s, const Line& line) {
  if (s.stroke_boxes.size() != 1 || line.height() <= 0) return 0;
  const float h = line.height();
  const float below_baseline = ramp((s.box.bottom - line.baseline) / h, 0.05f, 0.12f);
  const float starts_low = ramp((s.box.top - line.top) / h, 0.5f, 0.65f);
  const float taller_than_a_dot = ramp(s.box.height() / h, 0.12f, 0.2f);
  return tininess(s.box, line, 0.4f) * below_baseline * starts_low * taller_than_a_dot;
}

const Piece* NumberLattice::piece_at(std::size_t first, std::size_t count) const {
  const auto it = std::find_if(pieces.begin(), pieces.end(),
                               [&](const Piece& p) { return p.first == first && p.count == count; });
  return it == pieces.end() ? nullptr : &*it;
}

NumberLattice number_lattice(Network& network, const Normalization& norm, const Drawing& drawing) {
  check_drawing(drawing);
  check_digit_input(network);
  if (drawing.strokes.size() > max_number_strokes)
    throw Error("a number may have at most " + std::to_string(max_number_strokes) + " strokes; this drawing has " +
                std::to_string(drawing.strokes.size()));
  NumberLattice lattice;
  std::vector<Box> boxes(drawing.strokes.size());
  for (std::size_t i = 0; i < drawing.strokes.size(); ++i)
    if (!drawing.strokes[i].empty()) {
      lattice.order.push_back(i);
      boxes[i] = stroke_box(drawing.strokes[i], drawing.pen_width);
    }
  if (lattice.order.empty()) return lattice;
  std::stable_sort(lattice.order.begin(), lattice.order.end(),
                   [&](std::size_t a, std::size_t b) { return boxes[a].centre_x() < boxes[b].centre_x(); });
  std::vector<Box> ordered;
  for (std::size_t i : lattice.order) ordered.push_back(boxes[i]);
  lattice.line = line_of(ordered);
  lattice.cut_scores = cut_scores(ordered, drawing.pen_width);
  for (std::size_t first = 0; first < ordered.size(); ++first)
    for (std::size_t count = 1; count <= std::min(max_piece_strokes, ordered.size() - first); ++count)
      lattice.pieces.push_back(read_piece(network, norm, drawing, lattice, first, count));
  return lattice;
}

float path_score(const NumberLattice& lattice, const std::vector<std::pair<std::size_t, std::size_t>>& path) {
  float score = 0;
  for (const auto& [piece_index, option] : path) {
    const Piece& piece = lattice.pieces.at(piece_index);
    score += piece.options.at(option).score + (piece.first > 0 ? lattice.cut_scores[piece.first] : 0.0f);
  }
  return score;
}

std::vector<NumberReading> best_readings(const NumberLattice& lattice, std::size_t count) {
  count = std::clamp<std::size_t>(count, 1, max_number_readings);
  const std::size_t positions = lattice.order.size();
  if (positions == 0) return {NumberReading{}};
  // Partial paths ending at each position, best first. Several paths may spell the same text, so
  // each position keeps a few times more than the distinct readings asked for.
  struct Partial {
    float score;
    std::size_t piece, option, previous;  // previous: index into the partials at the piece's first position
  };
  const std::size_t beam = 4 * count;
  std::vector<std::vector<Partial>> partials(positions + 1);
  partials[0].push_back({0, 0, 0, 0});
  for (std::size_t end = 1; end <= positions; ++end) {
    std::vector<Partial>& ending = partials[end];
    for (std::size_t strokes = 1; strokes <= std::min(max_piece_strokes, end); ++strokes) {
      const std::size_t first = end - strokes;
      const std::size_t p = std::size_t(lattice.piece_at(first, strokes) - lattice.pieces.data());
      const Piece& piece = lattice.pieces[p];
      const float cut = first > 0 ? lattice.cut_scores[first] : 0.0f;
      for (std::size_t before = 0; before < partials[first].size(); ++before)
        for (std::size_t o = 0; o < piece.options.size(); ++o)
          ending.push_back({partials[first][before].score + cut + piece.options[o].score, p, o, before});
    }
    std::stable_sort(ending.begin(), ending.end(), [](const Partial& a, const Partial& b) { return a.score > b.score; });
    if (ending.size() > beam) ending.resize(beam);
  }
  std::vector<NumberReading> readings;
  for (std::size_t last = 0; last < partials[positions].size(); ++last) {
    NumberReading r;
    r.score = partials[positions][last].score;
    for (std::size_t end = positions, at = last; end > 0;) {
      const Partial& step = partials[end][at];
      r.path.insert(r.path.begin(), {step.piece, step.option});
      at = step.previous;
      end = lattice.pieces[step.piece].first;
    }
    for (const auto& [piece, option] : r.path) {
      r.characters.push_back(read_character(lattice.pieces[piece], option));
      r.text += r.characters.back().character;
    }
    const bool seen = std::any_of(readings.begin(), readings.end(), [&](const NumberReading& o) { return o.text == r.text; });
    if (!seen) readings.push_back(std::move(r));
    if (readings.size() == count) break;
  }
  return readings;
}

std::vector<NumberReading> read_number(Network& network, const Normalization& norm, const Drawing& drawing, std::size_t count) {
  return best_readings(number_lattice(network, norm, drawing), count);
}

}  // namespace lenet
