#include "core/ink/styles.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace lenet {

namespace {

constexpr float pi = std::numbers::pi_v<float>;
constexpr float degrees = pi / 180.0f;

constexpr std::array<Style, 10> styles = {
    Style::flagged_one,    Style::flagged_based_one, Style::crossed_seven,   Style::slashed_zero,
    Style::open_top_four,  Style::small_loop_six,    Style::open_loop_six,   Style::small_loop_nine,
    Style::open_loop_nine, Style::flat_top_three};

// ---------------------------------------------------------------------------------------------
// Plane geometry on Points (image coordinates, y down)

Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
Point operator*(float s, Point a) { return {s * a.x, s * a.y}; }
float length(Point a) { return std::hypot(a.x, a.y); }
Point unit(Point a) {
  const float l = length(a);
  return l > 0 ? (1.0f / l) * a : Point{0, 1};
}
// Rotation by `angle` radians; with y down a positive angle turns (0, 1), "down", towards (-1, 0), "left".
Point rotate(Point a, float angle) {
  const float c = std::cos(angle), s = std::sin(angle);
  return {a.x * c - a.y * s, a.x * s + a.y * c};
}
Point lerp(Point a, Point b, float t) { return a + t * (b - a); }

struct Box {
  Point lo{INFINITY, INFINITY}, hi{-INFINITY, -INFINITY};
  float width() const { return hi.x - lo.x; }
  float height() const { return hi.y - lo.y; }
  Point centre() const { return 0.5f * (lo + hi); }
};

Box bounds(const std::vector<Stroke>& strokes) {
  Box box;
  for (const Stroke& s : strokes)
    for (const Point& p : s)
      box.lo = {std::min(box.lo.x, p.x), std::min(box.lo.y, p.y)}, box.hi = {std::max(box.hi.x, p.x), std::max(box.hi.y, p.y)};
  return box;
}

// n + 1 points of the quadratic Bezier curve from a to b pulled towards `control`.
Stroke quadratic(Point a, Point control, Point b, int n = 8) {
  Stroke out;
  for (int k = 0; k <= n; ++k) {
    const float t = float(k) / float(n);
    out.push_back(lerp(lerp(a, control, t), lerp(control, b, t), t));
  }
  return out;
}

// Points of an ellipse arc from angle `from` to `to` (degrees, counter-clockwise as seen: 90 is the
// top), about one every 15 degrees.
Stroke arc(Point centre, float rx, float ry, float from, float to) {
  const int n = std::max(2, int(std::ceil(std::abs(to - from) / 15.0f)));
  Stroke out;
  for (int k = 0; k <= n; ++k) {
    const float a = (from + (to - from) * float(k) / float(n)) * degrees;
    out.push_back({centre.x + rx * std::cos(a), centre.y - ry * std::sin(a)});
  }
  return out;
}

void append(Stroke& stroke, const Stroke& more) {
  const bool joins = !stroke.empty() && !more.empty() && length(stroke.back() - more.front()) < 1e-4f;
  stroke.insert(stroke.end(), more.begin() + (joins ? 1 : 0), more.end());
}

// A hand's slant and smooth wander for glyphs drawn anew: x += slant (y - centre), then a
// displacement of two slow sine waves per axis, `amplitude` image px at most.
void slant_and_wobble(std::vector<Stroke>& strokes, const Box& box, float slant, float amplitude, Rng& rng) {
  const float h = std::max(box.height(), 1.0f), cy = box.centre().y;
  struct Wave {
    float weight, fx, fy, phase;
  };
  std::array<Wave, 4> waves{};
  for (Wave& w : waves)
    w = {rng.uniform(-0.5f, 0.5f), rng.uniform(-1.0f, 1.0f) * 2 * pi / h, rng.uniform(-1.0f, 1.0f) * 2 * pi / h,
         rng.uniform(0.0f, 2 * pi)};
  for (Stroke& s : strokes)
    for (Point& p : s) {
      const float dx = waves[0].weight * std::sin(waves[0].fx * p.x + waves[0].fy * p.y + waves[0].phase) +
                       waves[1].weight * std::sin(waves[1].fx * p.x + waves[1].fy * p.y + waves[1].phase);
      const float dy = waves[2].weight * std::sin(waves[2].fx * p.x + waves[2].fy * p.y + waves[2].phase) +
                       waves[3].weight * std::sin(waves[3].fx * p.x + waves[3].fy * p.y + waves[3].phase);
      p = {p.x + slant * (p.y - cy) + amplitude * dx, p.y + amplitude * dy};
    }
}

// A glyph drawn anew, in a hand's slant and wander drawn from the style's ranges (the wander's
// size first, then the slant: the order fixes the stream, whatever the compiler).
std::vector<Stroke> by_hand(std::vector<Stroke> strokes, const Box& box, const StyleRanges& r, Rng& rng) {
  const float wobble = r.wobble.sample(rng) * box.height();
  const float slant = r.slant.sample(rng);
  slant_and_wobble(strokes, box, slant, wobble, rng);
  return strokes;
}

// A loop's height and width in the box: a small one's height from the style's ranges, an open
// one's from [open_lo, open_hi] of the box's height; as wide as 0.8-1.5 times its height allows.
std::pair<float, float> loop_extent(const Box& box, bool open, float open_lo, float open_hi, const StyleRanges& r, Rng& rng) {
  const float height = (open ? rng.uniform(open_lo, open_hi) : r.loop_size.sample(rng)) * box.height();
  return {height, std::min(height * rng.uniform(0.8f, 1.5f), box.width())};
}

// The box a glyph drawn anew fills: the traced digit's, widened to at least `min_aspect` x its
// height about its centre (a narrow MNIST digit would squeeze the new shape).
Box glyph_box(const TracedDigit& digit, float min_aspect) {
  Box box = bounds(digit.strokes);
  const float want = min_aspect * box.height();
  if (box.width() < want) {
    const float cx = box.centre().x;
    box.lo.x = cx - 0.5f * want, box.hi.x = cx + 0.5f * want;
  }
  return box;
}

// Where on the box's width / height a fraction lies.
float at_x(const Box& b, float f) { return b.lo.x + f * b.width(); }
float at_y(const Box& b, float f) { return b.lo.y + f * b.height(); }

// ---------------------------------------------------------------------------------------------
// The styles

const Stroke& longest_stroke(const std::vector<Stroke>& strokes) {
  return *std::max_element(strokes.begin(), strokes.end(), [](const Stroke& a, const Stroke& b) {
    float la = 0, lb = 0;
    for (std::size_t k = 1; k < a.size(); ++k) la += length(a[k] - a[k - 1]);
    for (std::size_t k = 1; k < b.size(); ++k) lb += length(b[k] - b[k - 1]);
    return la < lb;
  });
}

// The 1's stem: its top and bottom are the highest and lowest points of the longest stroke.
std::vector<Stroke> flag_one(const TracedDigit& digit, bool with_base, const StyleRanges& r, Rng& rng) {
  std::vector<Stroke> out = digit.strokes;
  const Stroke& stem = longest_stroke(digit.strokes);
  const auto [top, bottom] = std::minmax_element(stem.begin(), stem.end(), [](Point a, Point b) { return a.y < b.y; });
  const Point down = unit(*bottom - *top);
  const float stem_length = std::max(length(*bottom - *top), 1.0f);
  // The flag leaves the top towards the lower left, flag_angle below the horizontal: steep, as a
  // 1's flag is (a 7's bar is near the horizontal), and at least 15 degrees off a stem that leans
  // like "/" itself.
  const float stem_angle = std::atan2(down.y, -down.x);  // below the horizontal, towards the left
  const float angle = std::min(r.flag_angle.sample(rng) * degrees, stem_angle - 15.0f * degrees);
  const Point direction{-std::cos(angle), std::sin(angle)};
  const float flag_length = r.flag_length.sample(rng) * stem_length;
  const Point start = *top + rng.uniform(-0.04f, 0.04f) * stem_length * Point{1, 1};  // the hand rarely lands exactly
  const Point end = start + flag_length * direction;
  const Point normal{-direction.y, direction.x};  // to the flag's lower side
  const Point control = lerp(start, end, 0.5f) + r.flag_bend.sample(rng) * flag_length * normal;
  out.push_back(quadratic(end, control, start));  // drawn upwards, as people do
  if (with_base) {
    const float base = r.base_length.sample(rng) * stem_length, left = rng.uniform(0.35f, 0.65f);
    const Point along = rotate(Point{1, 0}, rng.uniform(-5.0f, 5.0f) * degrees);
    out.push_back({*bottom - left * base * along, *bottom + (1 - left) * base * along});
  }
  return out;
}

// x where the stem crosses the horizontal line y: where a steep segment (|dy| >= |dx|; a flat one
// is a bar, not a stem) crosses it, nearest to x_hint; where none does (a stem traced in two
// pieces that stop short of y), the x of the steep segment end nearest to the line; x_hint when
// there is no steep segment at all.
float crossing_x(const std::vector<Stroke>& strokes, float y, float x_hint) {
  float crossing = x_hint, crossing_distance = INFINITY, end = x_hint, end_distance = INFINITY;
  for (const Stroke& s : strokes)
    for (std::size_t k = 1; k < s.size(); ++k) {
      const Point a = s[k - 1], b = s[k];
      if (std::abs(b.y - a.y) < std::abs(b.x - a.x) || a.y == b.y) continue;
      for (const Point& p : {a, b})
        if (std::abs(p.y - y) < end_distance) end = p.x, end_distance = std::abs(p.y - y);
      if ((a.y - y) * (b.y - y) > 0) continue;
      const float x = a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y);
      if (std::abs(x - x_hint) < crossing_distance) crossing = x, crossing_distance = std::abs(x - x_hint);
    }
  return crossing_distance < INFINITY ? crossing : end;
}

// A bar across the 7's stem, and often (as continental writers do) a short tick down from the start
// of the top bar.
std::vector<Stroke> cross_seven(const TracedDigit& digit, const StyleRanges& r, Rng& rng) {
  std::vector<Stroke> out = digit.strokes;
  const Box box = bounds(digit.strokes);
  const float y = at_y(box, r.cross_height.sample(rng));
  const float x = crossing_x(digit.strokes, y, box.centre().x);
  const float bar = r.cross_length.sample(rng) * box.height(), left = rng.uniform(0.35f, 0.7f);
  const Point along = rotate(Point{1, 0}, rng.uniform(-8.0f, 8.0f) * degrees);
  out.push_back({Point{x, y} - left * bar * along, Point{x, y} + (1 - left) * bar * along});
  const float tick = rng.uniform(0.06f, 0.15f) * box.height();
  if (rng.uniform() < 0.4f) {
    // The top bar starts at the leftmost point of the digit's top quarter.
    Point start{INFINITY, 0};
    for (const Stroke& s : digit.strokes)
      for (const Point& p : s)
        if (p.y <= at_y(box, 0.25f) && p.x < start.x) start = p;
    out.push_back({start + Point{-0.15f * tick, tick}, start});
  }
  return out;
}

// The direction of the points' longest spread (their principal axis), as an angle above the
// horizontal in (-90, 90] degrees ("/" positive; y grows downwards).
float principal_axis_degrees(const std::vector<Stroke>& strokes) {
  double n = 0, mx = 0, my = 0;
  for (const Stroke& s : strokes)
    for (const Point& p : s) n += 1, mx += p.x, my += p.y;
  mx /= n, my /= n;
  double xx = 0, yy = 0, xy = 0;
  for (const Stroke& s : strokes)
    for (const Point& p : s) xx += (p.x - mx) * (p.x - mx), yy += (p.y - my) * (p.y - my), xy += (p.x - mx) * (p.y - my);
  return float(-0.5 * std::atan2(2 * xy, xx - yy) * 180.0 / std::numbers::pi);
}

// A slash through the ring. It crosses the ring's long axis at 25 degrees at least, and a ring
// narrower than 0.55 of its height is widened to that first: along a narrow ring, or through one,
// a slash fills it into a thick bar, a 1 rather than a slashed 0.
std::vector<Stroke> slash_zero(const TracedDigit& digit, const StyleRanges& r, Rng& rng) {
  std::vector<Stroke> out = digit.strokes;
  const Box ring = bounds(out);
  const float widen = std::max(1.0f, 0.55f * ring.height() / std::max(ring.width(), 1e-3f));
  for (Stroke& s : out)
    for (Point& p : s) p.x = ring.centre().x + widen * (p.x - ring.centre().x);
  const Box box = bounds(out);
  const float size = std::max(box.width(), box.height());
  float degrees_up = r.slash_angle.sample(rng);
  // The angle between two lines, in (-90, 90]: a near-vertical ring at -85 degrees and a slash at
  // 80 are 15 degrees apart.
  float between = std::remainder(degrees_up - principal_axis_degrees(out), 180.0f);
  if (std::abs(between) < 25.0f) degrees_up += (between >= 0 ? 25.0f : -25.0f) - between;
  const float angle = degrees_up * degrees, half = 0.5f * r.slash_length.sample(rng) * size;
  const Point direction{std::cos(angle), -std::sin(angle)};  // "/" for positive angles (y down)
  const Point centre = box.centre() + rng.uniform(-0.05f, 0.05f) * size * Point{1, 0.5f};
  out.push_back({centre - half * direction, centre + half * direction});  // drawn upwards from the lower left
  return out;
}

// Left arm down to the bar, the bar, and a stem apart from the arm at the top; in one stroke half
// the time (arm, bar to the stem, up the stem and down again: a quick hand opens the retrace into a
// thin loop), the arm-bar corner rounded, the stem sometimes short below the bar.
std::vector<Stroke> open_four(const TracedDigit& digit, const StyleRanges& r, Rng& rng) {
  const Box box = glyph_box(digit, 0.6f);
  const float bar_y = at_y(box, r.four_bar_height.sample(rng));
  const float stem_x = at_x(box, r.four_stem_at.sample(rng));
  const Point arm_top{at_x(box, rng.uniform(0.0f, 0.3f)), at_y(box, rng.uniform(0.0f, 0.12f))};
  const Point corner{at_x(box, rng.uniform(0.0f, 0.15f)), bar_y};
  const Point bar_end{at_x(box, rng.uniform(0.9f, 1.05f)), bar_y + rng.uniform(-0.05f, 0.03f) * box.height()};
  const Point stem_top{stem_x + rng.uniform(-0.05f, 0.1f) * box.width(), at_y(box, rng.uniform(0.0f, 0.1f))};
  const Point stem_bottom{stem_x + rng.uniform(-0.1f, 0.05f) * box.width(),
                          std::max(box.hi.y - rng.uniform(0.0f, 0.15f) * box.height(), bar_y + 0.1f * box.height())};
  const float round = r.four_corner.sample(rng);
  Stroke arm{arm_top};
  append(arm, quadratic(lerp(corner, arm_top, round), corner, lerp(corner, bar_end, round * 0.6f)));
  std::vector<Stroke> out;
  const float loop = rng.uniform(0.0f, 0.1f) * box.width();
  if (rng.uniform() < 0.5f) {
    const Point on_stem = lerp(stem_top, stem_bottom, (bar_y - stem_top.y) / (stem_bottom.y - stem_top.y));
    append(arm, quadratic(on_stem - Point{loop, 0}, stem_top - Point{0.5f * loop, 0}, stem_top, 4));
    append(arm, {stem_bottom});
    out = {arm};
  } else {
    append(arm, {bar_end});
    out = {arm, {stem_top, stem_bottom}};
  }
  return by_hand(out, box, r, rng);
}

// A 9: a loop at the top drawn counter-clockwise from its upper right, then the stem down from its
// right side. Small: the loop a small part of the height; open: the loop starts `gap` degrees
// round from where the stem leaves it, so it never closes.
std::vector<Stroke> nine(const TracedDigit& digit, bool open, const StyleRanges& r, Rng& rng) {
  const Box box = glyph_box(digit, 0.5f);
  const float h = box.height();
  const auto [loop_h, loop_w] = loop_extent(box, open, 0.3f, 0.5f, r, rng);
  const Point centre{at_x(box, rng.uniform(0.35f, 0.6f)), box.lo.y + 0.5f * loop_h};
  const float start = open ? r.loop_gap.sample(rng) : rng.uniform(-15.0f, 10.0f);
  Stroke stroke = arc(centre, 0.5f * loop_w, 0.5f * loop_h, start, 360.0f);
  const Point from = stroke.back();
  const Point to{from.x + rng.uniform(-0.45f, 0.05f) * h, box.hi.y};
  append(stroke, quadratic(from, lerp(from, to, 0.5f) + rng.uniform(-0.08f, 0.08f) * h * Point{1, 0}, to, 6));
  return by_hand({stroke}, box, r, rng);
}

// A 6: from the upper right down the left side into a loop at the bottom, which it joins at its
// lower left and runs round counter-clockwise. Small: the loop a small part of the height; open: it
// stops `gap` degrees short of the stroke it came from.
std::vector<Stroke> six(const TracedDigit& digit, bool open, const StyleRanges& r, Rng& rng) {
  const Box box = glyph_box(digit, 0.5f);
  const float h = box.height();
  const auto [loop_h, loop_w] = loop_extent(box, open, 0.35f, 0.55f, r, rng);
  const Point centre{at_x(box, rng.uniform(0.4f, 0.6f)), box.hi.y - 0.5f * loop_h};
  const float join = rng.uniform(185.0f, 230.0f);
  const Stroke loop = arc(centre, 0.5f * loop_w, 0.5f * loop_h, join,
                          join + 360.0f - (open ? r.loop_gap.sample(rng) : rng.uniform(-15.0f, 10.0f)));
  const Point top{at_x(box, rng.uniform(0.55f, 0.95f)), at_y(box, rng.uniform(0.0f, 0.08f))};
  const Point bend{box.lo.x + rng.uniform(-0.05f, 0.1f) * h, lerp(top, loop.front(), rng.uniform(0.5f, 0.8f)).y};
  Stroke stroke = quadratic(top, bend, loop.front(), 8);
  append(stroke, loop);
  return by_hand({stroke}, box, r, rng);
}

// A flat bar, a diagonal down to the middle, then the lower bowl clockwise round to the lower left.
std::vector<Stroke> flat_three(const TracedDigit& digit, const StyleRanges& r, Rng& rng) {
  const Box box = glyph_box(digit, 0.55f);
  const float h = box.height();
  const Point bar_start{at_x(box, rng.uniform(0.0f, 0.15f)), at_y(box, rng.uniform(0.0f, 0.06f))};
  const Point bar_end{at_x(box, rng.uniform(0.8f, 1.0f)), box.lo.y + rng.uniform(-0.03f, 0.04f) * h};
  const Point middle{at_x(box, rng.uniform(0.3f, 0.55f)), at_y(box, r.three_middle.sample(rng))};
  const float bowl_ry = 0.5f * (box.hi.y - middle.y), bowl_rx = at_x(box, rng.uniform(0.65f, 1.05f)) - middle.x;
  Stroke stroke{bar_start, bar_end};
  append(stroke, {middle});
  append(stroke, arc({middle.x, middle.y + bowl_ry}, std::max(bowl_rx, 0.2f * h), bowl_ry, 90.0f,
                     -90.0f - rng.uniform(0.0f, 50.0f)));
  return by_hand({stroke}, box, r, rng);
}

}  // namespace

std::span<const Style> all_styles() { return styles; }

const char* style_name(Style style) {
  switch (style) {
    case Style::none: return "none";
    case Style::flagged_one: return "flagged-1";
    case Style::flagged_based_one: return "flagged-based-1";
    case Style::crossed_seven: return "crossed-7";
    case Style::slashed_zero: return "slashed-0";
    case Style::open_top_four: return "open-top-4";
    case Style::small_loop_six: return "small-loop-6";
    case Style::open_loop_six: return "open-loop-6";
    case Style::small_loop_nine: return "small-loop-9";
    case Style::open_loop_nine: return "open-loop-9";
    case Style::flat_top_three: return "flat-top-3";
  }
  return "none";
}

Style style_from_name(const std::string& name) {
  for (Style s : styles)
    if (name == style_name(s)) return s;
  throw Error("unknown writing style '" + name + "'; styles are " + join_names(styles, style_name));
}

int style_digit(Style style) {
  const std::string name = style_name(style);
  return style == Style::none ? -1 : name.back() - '0';
}

float Range::sample(Rng& rng) const {
  const bool gapped = gap_lo < gap_hi && gap_lo > lo && gap_hi < hi;
  const float kept = (hi - lo) - (gapped ? gap_hi - gap_lo : 0.0f);
  const float v = lo + rng.uniform() * kept;
  return gapped && v > gap_lo ? v + (gap_hi - gap_lo) : v;
}

const StyleRanges& training_style_ranges() {
  static const StyleRanges ranges = {
      .flag_angle = {35, 72, 50, 55},
      .flag_length = {0.18f, 0.75f, 0.42f, 0.48f},
      .flag_bend = {-0.12f, 0.18f, 0.02f, 0.06f},
      .base_length = {0.25f, 0.85f, 0.5f, 0.56f},
      .cross_height = {0.35f, 0.7f, 0.5f, 0.54f},
      .cross_length = {0.2f, 0.6f, 0.38f, 0.42f},
      .slash_angle = {40, 85, 60, 66},
      .slash_length = {0.7f, 1.35f, 1.0f, 1.08f},
      .four_bar_height = {0.45f, 0.85f, 0.62f, 0.66f},
      .four_stem_at = {0.5f, 0.85f, 0.66f, 0.7f},
      .four_corner = {0.0f, 0.5f, 0.25f, 0.3f},
      .loop_size = {0.22f, 0.42f, 0.3f, 0.33f},
      .loop_gap = {25, 110, 55, 62},
      .three_middle = {0.3f, 0.65f, 0.45f, 0.48f},
      .slant = {-0.35f, 0.35f, 0.0f, 0.08f},
      .wobble = {0.0f, 0.05f, 0.024f, 0.03f},
  };
  return ranges;
}

std::vector<Stroke> restyle(const TracedDigit& digit, Style style, const StyleRanges& r, Rng& rng) {
  if (digit.strokes.empty()) throw Error("restyle: the traced digit has no strokes");
  switch (style) {
    case Style::none: return digit.strokes;
    case Style::flagged_one: return flag_one(digit, false, r, rng);
    case Style::flagged_based_one: return flag_one(digit, true, r, rng);
    case Style::crossed_seven: return cross_seven(digit, r, rng);
    case Style::slashed_zero: return slash_zero(digit, r, rng);
    case Style::open_top_four: return open_four(digit, r, rng);
    case Style::small_loop_six: return six(digit, false, r, rng);
    case Style::open_loop_six: return six(digit, true, r, rng);
    case Style::small_loop_nine: return nine(digit, false, r, rng);
    case Style::open_loop_nine: return nine(digit, true, r, rng);
    case Style::flat_top_three: return flat_three(digit, r, rng);
  }
  return digit.strokes;
}

}  // namespace lenet
