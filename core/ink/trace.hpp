#pragma once
// A grey digit image (MNIST style) traced into pen strokes, so that training and tests can draw
// MNIST's digits the way the page draws a person's: as polylines under a round pen.
//
// How: upsample the image (bilinear) so the centre line can fall between its pixels, threshold,
// drop specks and fill pinholes, thin to a one-pixel skeleton (Zhang-Suen), read the skeleton as a
// graph (end points, junctions, the paths between them, and rings), prune the short spurs thinning
// leaves at corners, join paths that run straight on through a junction into one stroke, and
// simplify (Ramer-Douglas-Peucker). The pen width is the digit's own stroke thickness: the round
// pen that, drawn along the skeleton, puts down the image's ink area.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/ink/drawing.hpp"

namespace lenet {

using Stroke = std::vector<Point>;

struct TraceOptions {
  int upsample = 4;            // skeleton pixels per image pixel: a centre line at 1/4-pixel resolution
  float threshold = 0.5f;      // ink where the upsampled grey level >= this x 255: the edge of anti-aliased ink
  float speck_area = 1.5f;     // ink blobs smaller than this (image px^2) are noise, not strokes
  float pinhole_area = 1.0f;   // holes smaller than this (image px^2) are gaps in thick ink, not loops
  float spur_factor = 0.75f;   // prune end branches shorter than this x the stroke thickness (thinning
                               // leaves spurs up to ~w/sqrt 2 long at corners; real arms are longer)
  float straight_on = 45.0f;   // at a junction, two branches within this many degrees of straight join
  float simplify = 0.25f;      // Ramer-Douglas-Peucker tolerance, image px
};

// Strokes in image coordinates: pixel (i, j) spans [i, i + 1] x [j, j + 1], y down.
struct TracedDigit {
  std::vector<Stroke> strokes;  // a closed stroke ends where it starts
  float thickness = 0;          // the round pen's width, image px (0 when nothing was traced)
  float skeleton_length = 0;    // total length of the strokes before simplification, image px
};

// Traces a side x side grey image (0 = paper, 255 = ink, row-major). An image without ink (or only
// specks) gives no strokes.
TracedDigit trace_digit(const std::uint8_t* pixels, std::size_t side, const TraceOptions& options = {});

// Ramer-Douglas-Peucker: the fewest points of the polyline within `tolerance` of it.
Stroke simplify_polyline(const Stroke& points, float tolerance);

// The strokes (any units) as a drawing on a square canvas of `canvas_size` px, the way a person
// fills a drawing pad: scaled so that the ink's longer side (the points' box plus the pen) spans
// `fill` of the canvas, centred; the pen scales with them. No strokes give an empty drawing.
Drawing place_on_canvas(const std::vector<Stroke>& strokes, float pen_width, float canvas_size, float fill);

}  // namespace lenet
