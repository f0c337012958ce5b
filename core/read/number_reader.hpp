#pragma once
// A whole number written on one line ("2026", "5/27", "679-1238") read from its strokes, for the
// page and `lenet-train predict --number` alike (LeCun et al. 1998's check reader, in small):
//   1. the strokes are ordered by position (the centre of their horizontal extent), not by time:
//      people add the bar of a 4 or the hat of a 5 after the rest of the number;
//   2. every group of 1 to max_piece_strokes neighbouring strokes in that order is a candidate
//      piece; each piece is drawn on its own, preprocessed as the page does and read by the
//      network, and judged by geometry against the line (its height, width, and for the
//      separators - / . : , its shape and place);
//   3. cutting between two strokes whose horizontal extents overlap costs a score of its own (the
//      bar of a 4 crosses its stem; two digits side by side do not overlap);
//   4. the best path through the pieces (a k-best Viterbi over stroke positions) is the reading;
//      the next best distinct readings come with it.
// Scores are log-probabilities: a piece's option adds log(probability x how much the piece looks
// like a character at all); cuts add log-factors. Ties are broken by position, so the search is
// deterministic.
//
// Pieces that are no character (half a digit, two digits merged) get their low score from the
// not-a-digit judgement (core/read/plausibility.hpp) and from geometry (too short or too wide for
// the line, two strokes with a gap between them). A trained "rubbish" class (an 11th output,
// trained on such pieces and on merged pairs) would replace that judgement with the network's own
// probability that the piece is no character; the geometry would stay for the separators.
//
// Not yet: cut points inside a stroke (two digits touching in one stroke stay one piece).

#include <cstddef>
#include <string>
#include <vector>

#include "core/formats/model_io.hpp"
#include "core/ink/drawing.hpp"
#include "core/ink/geometry.hpp"  // Box, in canvas px

namespace lenet {

// Bounds that keep the search's work linear in the strokes: a drawing with more strokes than
// max_number_strokes is refused before any piece is read (a number of 10 digits has about 20).
inline constexpr std::size_t max_number_strokes = 64;
inline constexpr std::size_t max_piece_strokes = 3;
inline constexpr std::size_t max_piece_options = 3;   // characters kept per piece, best first
inline constexpr std::size_t max_number_readings = 8;  // the best reading and its alternatives
// The separators (drawing.hpp's number_separators) are read from geometry alone.


// The line the number is written on: from its tall strokes (at least half as tall as the tallest),
// the median of their tops and of their bottoms.
struct Line {
  float top = 0, baseline = 0;
  float height() const { return baseline - top; }
};

// A candidate piece's strokes, as the separator functions see them (canvas px).
struct PieceShape {
  Box box;                       // of the points, widened by the pen's radius
  std::vector<Box> stroke_boxes;  // one per stroke, same units
  float slant_degrees = 0;       // of a one-stroke piece: its end-to-end direction from vertical, > 0 leaning right (/)
  float straightness = 0;        // of a one-stroke piece: end-to-end distance / path length (1: straight)
};

// How well a piece fits each separator, in [0, 1] (0: not that separator). One function each.
float dash_fit(const PieceShape& piece, const Line& line);    // '-': a short flat stroke at mid height
float slash_fit(const PieceShape& piece, const Line& line);   // '/': a straight stroke leaning right, most of the line tall
float dot_fit(const PieceShape& piece, const Line& line);     // '.': a tiny dot on the baseline
float colon_fit(const PieceShape& piece, const Line& line);   // ':': two tiny dots, one above the other
float comma_fit(const PieceShape& piece, const Line& line);   // ',': a short stroke reaching below the baseline

struct PieceOption {
  char character = '?';
  float probability = 0;  // the network's softmax for a digit; the geometric fit for a separator
  float score = 0;        // what the search adds for reading the piece as this character (log)
};

struct Piece {
  std::size_t first = 0, count = 0;  // positions in the stroke order
  std::vector<std::size_t> strokes;  // the drawing's stroke indices, in position order
  PieceShape shape;
  bool plausible = true;             // the not-a-digit judgement of the piece drawn alone
  std::vector<PieceOption> options;  // best first, at most max_piece_options
};

// Everything the search chooses from.
struct NumberLattice {
  std::vector<std::size_t> order;  // stroke indices with ink, by position
  Line line;
  std::vector<Piece> pieces;       // every group of 1 to max_piece_strokes neighbouring positions
  std::vector<float> cut_scores;   // cut_scores[p]: added when a piece starts at position p > 0 ([0] unused)
  const Piece* piece_at(std::size_t first, std::size_t count) const;  // nullptr if there is none
};

struct ReadCharacter {
  char character = '?';
  float probability = 0;
  char runner_up = '?';  // '?' when the piece had no other option
  float runner_up_probability = 0;
  std::vector<std::size_t> strokes;  // the drawing's stroke indices it was read from
};

struct NumberReading {
  std::string text;  // e.g. "679-1238"; empty for a drawing without ink
  float score = 0;   // the path's total log-score
  std::vector<ReadCharacter> characters;
  // The path: the piece (index into NumberLattice::pieces) and its option, per character.
  std::vector<std::pair<std::size_t, std::size_t>> path;
};

// The candidates of a drawing. Throws lenet::Error for a drawing check_drawing rejects, one with
// more than max_number_strokes strokes, or a network that does not read 28x28 digits.
NumberLattice number_lattice(Network& network, const Normalization& norm, const Drawing& drawing);

// The score of one path through the lattice: the pieces' options and the cuts between them.
float path_score(const NumberLattice& lattice, const std::vector<std::pair<std::size_t, std::size_t>>& path);

// Up to `count` (at most max_number_readings) readings with distinct texts, best first. A drawing
// without ink gives one empty reading.
std::vector<NumberReading> best_readings(const NumberLattice& lattice, std::size_t count = max_number_readings);

// number_lattice + best_readings.
std::vector<NumberReading> read_number(Network& network, const Normalization& norm, const Drawing& drawing,
                                       std::size_t count = max_number_readings);

}  // namespace lenet
