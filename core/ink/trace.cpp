#include "core/ink/trace.hpp"

#include "core/ink/binary_image.hpp"
#include "core/ink/geometry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>
#include <unordered_set>

namespace lenet {

namespace {

// ---------------------------------------------------------------------------------------------
// Raster steps, on a binary grid


// Bilinear upsampling (pixel centres sample the source between its pixel centres), thresholded.
BinaryImage upsample_and_threshold(const std::uint8_t* pixels, int side, int factor, float threshold) {
  BinaryImage grid{side * factor, side * factor, {}};
  grid.on.resize(std::size_t(grid.width) * std::size_t(grid.height));
  const auto at = [&](int x, int y) {
    return float(pixels[std::clamp(y, 0, side - 1) * side + std::clamp(x, 0, side - 1)]);
  };
  const float level = threshold * 255.0f;
  for (int v = 0; v < grid.height; ++v) {
    const float sy = (float(v) + 0.5f) / float(factor) - 0.5f, y0f = std::floor(sy), fy = sy - y0f;
    const int y0 = int(y0f);
    for (int u = 0; u < grid.width; ++u) {
      const float sx = (float(u) + 0.5f) / float(factor) - 0.5f, x0f = std::floor(sx), fx = sx - x0f;
      const int x0 = int(x0f);
      const float top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const float bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      grid.on[std::size_t(v * grid.width + u)] = top * (1 - fy) + bottom * fy >= level ? 1 : 0;
    }
  }
  return grid;
}

// Removes ink blobs below `min_ink` pixels and fills holes below `min_hole` pixels that do not touch
// the border: a pinhole in a thick stroke would otherwise become a tiny loop in the skeleton.
void clean_specks_and_pinholes(BinaryImage& grid, float min_ink, float min_hole) {
  for (const auto& blob : regions(grid, 1))
    if (float(blob.size()) < min_ink)
      for (int i : blob) grid.on[std::size_t(i)] = 0;
  for (const auto& hole : regions(grid, 0))
    if (float(hole.size()) < min_hole && std::none_of(hole.begin(), hole.end(), [&](int i) { return grid.on_border(i); }))
      for (int i : hole) grid.on[std::size_t(i)] = 1;
}

// Zhang-Suen thinning, in place: peels boundary pixels in two alternating sub-passes until only a
// one-pixel-wide, 8-connected skeleton of each blob remains, end points kept.
void thin_zhang_suen(BinaryImage& grid) {
  std::vector<int> ink, remove;  // only ink pixels can be peeled: visit those alone
  for (int i = 0; i < int(grid.on.size()); ++i)
    if (grid.on[std::size_t(i)]) ink.push_back(i);
  for (bool changed = true; changed;) {
    changed = false;
    for (int pass = 0; pass < 2; ++pass) {
      remove.clear();
      for (int i : ink) {
        const int x = i % grid.width, y = i / grid.width;
        // Neighbours P2..P9 clockwise from north.
        const std::array<bool, 8> p = {grid.at(x, y - 1), grid.at(x + 1, y - 1), grid.at(x + 1, y),
                                       grid.at(x + 1, y + 1), grid.at(x, y + 1), grid.at(x - 1, y + 1),
                                       grid.at(x - 1, y), grid.at(x - 1, y - 1)};
        const int neighbours = int(std::count(p.begin(), p.end(), true));
        int transitions = 0;
        for (std::size_t k = 0; k < 8; ++k) transitions += !p[k] && p[(k + 1) % 8];
        if (neighbours < 2 || neighbours > 6 || transitions != 1) continue;
        const bool n = p[0], e = p[2], s = p[4], w = p[6];
        if (pass == 0 ? (n && e && s) || (e && s && w) : (n && e && w) || (n && s && w)) continue;
        remove.push_back(i);
      }
      for (int i : remove) grid.on[std::size_t(i)] = 0;
      std::erase_if(ink, [&](int i) { return !grid.on[std::size_t(i)]; });
      changed = changed || !remove.empty();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The skeleton as a graph: nodes (end points and junctions) joined by edges (pixel paths), and rings.

struct Edge {
  int a = 0, b = 0;  // node indices; a == b for a ring
  Stroke points;     // from node a's position to node b's
};

struct Graph {
  std::vector<Point> nodes;
  std::vector<Edge> edges;
};

float distance(Point p, Point q) { return std::hypot(p.x - q.x, p.y - q.y); }

float total_length(const Graph& graph) {
  float sum = 0;
  for (const Edge& e : graph.edges) sum += path_length(e.points);
  return sum;
}

// Edge ends at `node` (a ring on it counts twice).
int degree(const Graph& graph, int node) {
  int d = 0;
  for (const Edge& e : graph.edges) d += (e.a == node) + (e.b == node);
  return d;
}

Edge reversed(const Edge& e) { return {e.b, e.a, Stroke(e.points.rbegin(), e.points.rend())}; }

// Skeleton neighbours of pixel i: the 4 side neighbours, and a diagonal one only when no side
// neighbour already links the two. Without that rule every corner of a one-pixel line is a
// three-pixel triangle and would read as a junction.
std::vector<int> skeleton_neighbours(const BinaryImage& grid, int i) {
  const int x = i % grid.width, y = i / grid.width;
  std::vector<int> out;
  for (const auto& [dx, dy] : std::array<std::array<int, 2>, 4>{{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}})
    if (grid.at(x + dx, y + dy)) out.push_back(i + dy * grid.width + dx);
  for (const auto& [dx, dy] : std::array<std::array<int, 2>, 4>{{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}}})
    if (grid.at(x + dx, y + dy) && !grid.at(x + dx, y) && !grid.at(x, y + dy)) out.push_back(i + dy * grid.width + dx);
  return out;
}

// Reads the skeleton into nodes and edges, in grid pixel units (pixel centres at +0.5). Touching
// junction pixels form one node at their centroid. A ring with no node on it gets a node of its
// own and one edge from it back to itself.
Graph skeleton_graph(const BinaryImage& grid) {
  std::vector<int> ink;  // skeleton pixels in index order
  std::vector<std::vector<int>> neighbours(grid.on.size());
  for (int i = 0; i < int(grid.on.size()); ++i)
    if (grid.on[std::size_t(i)]) ink.push_back(i), neighbours[std::size_t(i)] = skeleton_neighbours(grid, i);
  const auto next = [&](int i) -> const std::vector<int>& { return neighbours[std::size_t(i)]; };
  const auto centre = [&](int i) { return Point{float(i % grid.width) + 0.5f, float(i / grid.width) + 0.5f}; };

  Graph graph;
  std::vector<int> node_of(grid.on.size(), -1);  // node of an end point or junction pixel
  std::vector<int> node_pixels;                  // those pixels, in the order they became nodes
  for (int i : ink) {
    if (next(i).size() == 2 || node_of[std::size_t(i)] >= 0) continue;
    const int node = int(graph.nodes.size());
    std::vector<int> members{i};  // gather the touching junction pixels (an end point stands alone)
    node_of[std::size_t(i)] = node;
    for (std::size_t k = 0; k < members.size() && next(i).size() > 2; ++k)
      for (int j : next(members[k]))
        if (node_of[std::size_t(j)] < 0 && next(j).size() > 2) node_of[std::size_t(j)] = node, members.push_back(j);
    Point mean{0, 0};
    for (int m : members) mean.x += centre(m).x, mean.y += centre(m).y;
    graph.nodes.push_back({mean.x / float(members.size()), mean.y / float(members.size())});
    node_pixels.insert(node_pixels.end(), members.begin(), members.end());
  }

  std::unordered_set<std::uint64_t> walked;  // pixel steps already taken, both directions
  const auto step_key = [](int from, int to) { return (std::uint64_t(std::uint32_t(from)) << 32) | std::uint32_t(to); };
  // From a node pixel (or a ring pixel) until the next node pixel, or back to the start.
  const auto walk = [&](int from, int to) {
    std::vector<int> path{from, to};
    while (node_of[std::size_t(path.back())] < 0 && path.back() != from) {
      const std::vector<int>& two = next(path.back());
      path.push_back(two[0] == path[path.size() - 2] ? two[1] : two[0]);
    }
    for (std::size_t k = 1; k < path.size(); ++k)
      walked.insert(step_key(path[k - 1], path[k])), walked.insert(step_key(path[k], path[k - 1]));
    return path;
  };
  for (int i : node_pixels) {
    const int node = node_of[std::size_t(i)];
    for (int j : next(i)) {
      if (node_of[std::size_t(j)] == node || walked.count(step_key(i, j))) continue;  // inside one junction
      const std::vector<int> path = walk(i, j);
      const int a = node, b = node_of[std::size_t(path.back())];
      Edge edge{a, b, {graph.nodes[std::size_t(a)]}};
      for (std::size_t k = 1; k + 1 < path.size(); ++k) edge.points.push_back(centre(path[k]));
      edge.points.push_back(graph.nodes[std::size_t(b)]);
      graph.edges.push_back(std::move(edge));
    }
  }
  for (int i : ink) {
    if (node_of[std::size_t(i)] >= 0 || next(i).size() != 2 || walked.count(step_key(i, next(i)[0]))) continue;
    const std::vector<int> path = walk(i, next(i)[0]);  // a ring: every pixel has two neighbours
    const int a = int(graph.nodes.size());
    graph.nodes.push_back(centre(i));
    Edge edge{a, a, {}};
    for (int p : path) edge.points.push_back(centre(p));
    graph.edges.push_back(std::move(edge));
  }
  return graph;
}

// A node with exactly two edge ends (not a ring's own node) is no junction: merge its two edges.
void join_through_two_way_nodes(Graph& graph) {
  for (int node = 0; node < int(graph.nodes.size()); ++node) {
    std::vector<std::size_t> ends;
    for (std::size_t k = 0; k < graph.edges.size(); ++k)
      if (graph.edges[k].a == node || graph.edges[k].b == node) ends.push_back(k);
    if (ends.size() != 2 || degree(graph, node) != 2) continue;  // not with a loop on the node
    const auto ending_here = [&](const Edge& e) { return e.b == node ? e : reversed(e); };
    const Edge first = ending_here(graph.edges[ends[0]]), second = ending_here(graph.edges[ends[1]]);
    Edge joined{first.a, second.a, first.points};
    joined.points.insert(joined.points.end(), second.points.rbegin() + 1, second.points.rend());
    graph.edges.erase(graph.edges.begin() + std::ptrdiff_t(ends[1]));
    graph.edges.erase(graph.edges.begin() + std::ptrdiff_t(ends[0]));
    graph.edges.push_back(std::move(joined));
  }
}

// Removes, shortest first, end branches (an end point to a junction) shorter than `min_spur`, and
// whole pieces (isolated edges, small rings) shorter than `min_piece`. After each removal a node
// left with two edge ends joins them into one edge, so a branch that was cut short by a spur now
// counts at its full length.
void prune_graph(Graph& graph, float min_spur, float min_piece) {
  for (;;) {
    std::ptrdiff_t shortest = -1;
    float shortest_length = 0;
    for (std::size_t k = 0; k < graph.edges.size(); ++k) {
      const Edge& e = graph.edges[k];
      const float length = path_length(e.points);
      const int da = degree(graph, e.a), db = degree(graph, e.b);
      const bool isolated = e.a == e.b ? da == 2 : da == 1 && db == 1;
      const bool spur = e.a != e.b && std::min(da, db) == 1 && std::max(da, db) >= 3;
      if (!((isolated && length < min_piece) || (spur && length < min_spur))) continue;
      if (shortest < 0 || length < shortest_length) shortest = std::ptrdiff_t(k), shortest_length = length;
    }
    if (shortest < 0) return;
    graph.edges.erase(graph.edges.begin() + shortest);
    join_through_two_way_nodes(graph);
  }
}

// Two strokes that cross at a shallow angle thin to two junctions joined by a short bridge, not to
// one crossing. Bridges shorter than `max_bridge` between two junctions collapse into one junction
// at the bridge's middle, so that the branches meeting there can be paired as straight runs.
void collapse_short_bridges(Graph& graph, float max_bridge) {
  for (;;) {
    const auto bridge = std::find_if(graph.edges.begin(), graph.edges.end(), [&](const Edge& e) {
      return e.a != e.b && path_length(e.points) < max_bridge && degree(graph, e.a) >= 3 && degree(graph, e.b) >= 3;
    });
    if (bridge == graph.edges.end()) return;
    const int kept = bridge->a, gone = bridge->b;
    const Point middle = bridge->points[bridge->points.size() / 2];
    graph.edges.erase(bridge);
    graph.nodes[std::size_t(kept)] = middle;
    for (Edge& e : graph.edges) {
      if (e.a == gone) e.a = kept;
      if (e.b == gone) e.b = kept;
      if (e.a == kept) e.points.front() = middle;
      if (e.b == kept) e.points.back() = middle;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// From graph edges to strokes

// Direction in which an edge leaves its node at end a (or b), measured `reach` along it.
float leaving_direction(const Edge& edge, bool at_a, float reach) {
  const Stroke points = at_a ? edge.points : reversed(edge).points;
  const Point from = points.front();
  auto to = std::find_if(points.begin(), points.end(), [&](Point p) { return distance(p, from) >= reach; });
  const Point target = to == points.end() ? points.back() : *to;
  return std::atan2(target.y - from.y, target.x - from.x);
}

float angle_between(float a, float b) {
  const float d = std::fmod(std::abs(a - b), 2 * std::numbers::pi_v<float>);
  return d > std::numbers::pi_v<float> ? 2 * std::numbers::pi_v<float> - d : d;
}

// Strokes as a pen would go: at each junction, pairs of branches that run on within `straight_on`
// degrees of a straight line are joined (straightest pair first); every other branch ends there.
std::vector<Stroke> strokes_from_graph(const Graph& graph, float straight_on, float reach) {
  struct End {
    std::size_t edge;
    bool at_a;
    int node;
    float direction;
    std::ptrdiff_t partner = -1;
  };
  std::vector<End> ends;  // edge k's ends are ends[2k] (a) and ends[2k + 1] (b)
  for (std::size_t k = 0; k < graph.edges.size(); ++k)
    for (const bool at_a : {true, false})
      ends.push_back({k, at_a, at_a ? graph.edges[k].a : graph.edges[k].b, leaving_direction(graph.edges[k], at_a, reach)});
  const float limit = straight_on * std::numbers::pi_v<float> / 180.0f;
  for (int node = 0; node < int(graph.nodes.size()); ++node) {
    std::vector<std::size_t> here;
    for (std::size_t x = 0; x < ends.size(); ++x)
      if (ends[x].node == node) here.push_back(x);
    if (here.size() < 3) continue;  // an end point, or a ring's own node: nothing to choose
    struct Pair {
      std::size_t p, q;
      float bend;
    };
    std::vector<Pair> pairs;
    for (std::size_t i = 0; i < here.size(); ++i)
      for (std::size_t j = i + 1; j < here.size(); ++j) {
        const float bend = std::abs(std::numbers::pi_v<float> - angle_between(ends[here[i]].direction, ends[here[j]].direction));
        if (bend <= limit) pairs.push_back({here[i], here[j], bend});
      }
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.bend < y.bend; });
    for (const Pair& pair : pairs)
      if (ends[pair.p].partner < 0 && ends[pair.q].partner < 0)
        ends[pair.p].partner = std::ptrdiff_t(pair.q), ends[pair.q].partner = std::ptrdiff_t(pair.p);
  }

  std::vector<char> used(graph.edges.size(), 0);
  std::vector<Stroke> strokes;
  // From edge end `start` (unpaired, or any end of a closed chain) on through paired junctions.
  const auto follow = [&](std::size_t start) {
    Stroke stroke;
    for (std::ptrdiff_t at = std::ptrdiff_t(start); at >= 0 && !used[ends[std::size_t(at)].edge];) {
      const End& end = ends[std::size_t(at)];
      used[end.edge] = 1;
      const Edge& edge = graph.edges[end.edge];
      const Stroke points = end.at_a ? edge.points : reversed(edge).points;
      stroke.insert(stroke.end(), points.begin() + (stroke.empty() ? 0 : 1), points.end());
      at = ends[2 * end.edge + (end.at_a ? 1 : 0)].partner;  // on through the far junction, or the stroke ends
    }
    return stroke;
  };
  for (std::size_t x = 0; x < ends.size(); ++x)
    if (ends[x].partner < 0 && !used[ends[x].edge]) strokes.push_back(follow(x));
  for (std::size_t x = 0; x < ends.size(); ++x)
    if (!used[ends[x].edge]) strokes.push_back(follow(x));  // closed chains are left
  return strokes;
}

void simplify_into(const Point* points, std::size_t n, float tolerance, Stroke& out) {
  // Appends the simplified points[0..n) except the last one.
  float farthest = 0;
  std::size_t index = 0;
  for (std::size_t k = 1; k + 1 < n; ++k) {
    const float d = distance_to_segment(points[k], points[0], points[n - 1]);
    if (d > farthest) farthest = d, index = k;
  }
  if (farthest <= tolerance) {
    out.push_back(points[0]);
    return;
  }
  simplify_into(points, index + 1, tolerance, out);
  simplify_into(points + index, n - index, tolerance, out);
}

// The width w of a round pen whose strokes, of total length `length` with `open_ends` free ends,
// cover `area`: each free end adds half a disc beyond the centre line, so
// area = length w + open_ends (pi/8) w^2 (overlaps at junctions neglected). Plain area / length
// would read a short thick bar as thicker than it is.
float pen_width_for_area(float area, float length, int open_ends) {
  const float a = float(open_ends) * std::numbers::pi_v<float> / 8.0f;
  return a > 0 ? (std::sqrt(length * length + 4 * a * area) - length) / (2 * a) : area / length;
}

}  // namespace

Stroke simplify_polyline(const Stroke& points, float tolerance) {
  if (points.size() <= 2) return points;
  Stroke out;
  simplify_into(points.data(), points.size(), tolerance, out);
  out.push_back(points.back());
  return out;
}

TracedDigit trace_digit(const std::uint8_t* pixels, std::size_t side, const TraceOptions& o) {
  const int k = std::max(o.upsample, 1);
  const float area = float(k * k);
  BinaryImage grid = upsample_and_threshold(pixels, int(side), k, o.threshold);
  clean_specks_and_pinholes(grid, o.speck_area * area, o.pinhole_area * area);
  const float ink_area = float(std::accumulate(grid.on.begin(), grid.on.end(), 0)) / area;
  thin_zhang_suen(grid);
  Graph graph = skeleton_graph(grid);
  const auto to_image = [k](Point& p) { p.x /= float(k), p.y /= float(k); };
  for (Edge& e : graph.edges) std::for_each(e.points.begin(), e.points.end(), to_image);
  std::for_each(graph.nodes.begin(), graph.nodes.end(), to_image);

  // A first thickness (every skeleton branch, spurs included, lies inside the ink) to prune with;
  // then the pen that, drawn along what is left, puts down the image's ink area.
  const float rough_thickness = std::max(ink_area / std::max(total_length(graph), 1e-9f), 1.0f);
  join_through_two_way_nodes(graph);  // a clump of junction pixels can sit on a plain line
  prune_graph(graph, o.spur_factor * rough_thickness, rough_thickness);
  collapse_short_bridges(graph, rough_thickness);
  TracedDigit traced;
  traced.skeleton_length = total_length(graph);
  int open_ends = 0;
  for (int node = 0; node < int(graph.nodes.size()); ++node) open_ends += degree(graph, node) == 1;
  if (traced.skeleton_length > 0)
    traced.thickness = std::max(pen_width_for_area(ink_area, traced.skeleton_length, open_ends), 1.0f);
  for (const Stroke& s : strokes_from_graph(graph, o.straight_on, std::max(traced.thickness, 1.0f)))
    traced.strokes.push_back(simplify_polyline(s, o.simplify));
  return traced;
}

Drawing place_on_canvas(const std::vector<Stroke>& strokes, float pen_width, float canvas_size, float fill) {
  Drawing drawing;
  drawing.width = drawing.height = canvas_size;
  float lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY;
  for (const Stroke& s : strokes)
    for (const Point& p : s) lo_x = std::min(lo_x, p.x), hi_x = std::max(hi_x, p.x), lo_y = std::min(lo_y, p.y), hi_y = std::max(hi_y, p.y);
  if (lo_x > hi_x) {
    drawing.pen_width = canvas_size / 14;
    return drawing;
  }
  const float ink_side = std::max(hi_x - lo_x, hi_y - lo_y) + pen_width;  // the pen's ink reaches past the points
  const float scale = fill * canvas_size / std::max(ink_side, 1e-6f);
  const float cx = 0.5f * (lo_x + hi_x), cy = 0.5f * (lo_y + hi_y);
  drawing.pen_width = pen_width * scale;
  for (const Stroke& s : strokes) {
    Stroke& placed = drawing.strokes.emplace_back();
    for (const Point& p : s) placed.push_back({0.5f * canvas_size + (p.x - cx) * scale, 0.5f * canvas_size + (p.y - cy) * scale});
  }
  return drawing;
}

}  // namespace lenet
