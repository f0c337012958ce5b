// The tracing of MNIST digits into strokes (mnist_strokes.mjs), on shapes whose right answer is
// known (a bar, a ring, a cross, a T, an L) and on real test digits (the drawing lies on the canvas and
// redraws the image it came from).
//   node --test tests/web/mnist_strokes.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdx, readMnistTest, traceDigit, mnistTestDrawings, simplifyPolyline } from './mnist_strokes.mjs';

const side = 28;

// A 28x28 grey image of round-pen segments [[x0, y0, x1, y1], ...] (image coordinates, pixel
// (i, j) centred on (i + 0.5, j + 0.5)) of width `pen`, anti-aliased over one pixel like MNIST.
function paint(segments, pen) {
  const image = new Uint8Array(side * side);
  for (let j = 0; j < side; ++j)
    for (let i = 0; i < side; ++i) {
      const d = Math.min(...segments.map(([x0, y0, x1, y1]) => distanceToSegment(i + 0.5, j + 0.5, x0, y0, x1, y1)));
      image[j * side + i] = Math.round(255 * Math.min(Math.max(pen / 2 + 0.5 - d, 0), 1));
    }
  return image;
}

// A ring of centre (cx, cy) and radius r, as 64 short segments.
function ringSegments(cx, cy, r) {
  const at = (k) => [cx + r * Math.cos((k * Math.PI) / 32), cy + r * Math.sin((k * Math.PI) / 32)];
  return Array.from({ length: 64 }, (_, k) => [...at(k), ...at(k + 1)]);
}

function distanceToSegment(px, py, x0, y0, x1, y1) {
  const ex = x1 - x0, ey = y1 - y0, len2 = ex * ex + ey * ey;
  const t = len2 > 0 ? Math.min(Math.max(((px - x0) * ex + (py - y0) * ey) / len2, 0), 1) : 0;
  return Math.hypot(px - x0 - t * ex, py - y0 - t * ey);
}

// The drawing's strokes mapped back onto the image it was traced from: [[[x, y], ...], ...].
function strokesInImage({ drawing, frame }) {
  return drawing.strokes.map((s) => s.map(([x, y]) => [(x - frame.originX) / frame.scale, (y - frame.originY) / frame.scale]));
}

// The drawing redrawn on the image's grid with its round pen: a 0/1 mask.
function redrawInImage(traced) {
  const radius = traced.drawing.penWidth / traced.frame.scale / 2;
  const segments = strokesInImage(traced).flatMap((s) => s.map((p, k) => [...s[Math.max(k - 1, 0)], ...p]));
  const mask = new Uint8Array(side * side);
  for (let j = 0; j < side; ++j)
    for (let i = 0; i < side; ++i)
      mask[j * side + i] = segments.some((g) => distanceToSegment(i + 0.5, j + 0.5, ...g) <= radius) ? 1 : 0;
  return mask;
}

// Intersection over union of the redrawn drawing and the image's ink (grey >= 128).
function overlapWithImage(image, traced) {
  const mask = redrawInImage(traced);
  let both = 0, either = 0;
  for (let k = 0; k < mask.length; ++k) {
    const ink = image[k] >= 128;
    both += ink && mask[k];
    either += ink || mask[k];
  }
  return both / either;
}

const isClosed = (stroke) => stroke.length > 2 && Math.hypot(stroke[0][0] - stroke.at(-1)[0], stroke[0][1] - stroke.at(-1)[1]) < 1e-9;

test('an empty image gives a drawing with no strokes (and a valid pen)', () => {
  const { drawing } = traceDigit(new Uint8Array(side * side));
  assert.deepEqual(drawing.strokes, []);
  assert.equal(drawing.width, 280);
  assert.ok(drawing.penWidth > 0);
});

test('a lone speck is noise, not a stroke', () => {
  const image = new Uint8Array(side * side);
  image[14 * side + 14] = 255;
  assert.deepEqual(traceDigit(image).drawing.strokes, []);
});

test('a vertical bar ("1") traces to one vertical stroke along its centre, with the bar\'s width as pen', () => {
  const traced = traceDigit(paint([[14, 5, 14, 23]], 3));
  assert.equal(traced.drawing.strokes.length, 1);
  const stroke = strokesInImage(traced)[0];
  for (const [x] of stroke) assert.ok(Math.abs(x - 14) < 0.5, `x = ${x} is off the bar's centre line x = 14`);
  const ys = stroke.map(([, y]) => y);
  assert.ok(Math.min(...ys) < 6.5 && Math.max(...ys) > 21.5, `stroke spans y ${Math.min(...ys)}..${Math.max(...ys)}, the bar 5..23`);
  assert.ok(Math.abs(traced.thickness - 3) < 0.6, `thickness ${traced.thickness}, the bar is 3 px wide`);
});

test('a ring ("0") traces to one closed stroke that stays on the ring', () => {
  const traced = traceDigit(paint(ringSegments(14, 14, 7), 2.5));
  assert.equal(traced.drawing.strokes.length, 1);
  const [stroke] = strokesInImage(traced);
  assert.ok(isClosed(traced.drawing.strokes[0]), 'the stroke ends where it starts');
  assert.ok(stroke.length >= 8, `a circle needs more than ${stroke.length} points`);
  for (const [x, y] of stroke) assert.ok(Math.abs(Math.hypot(x - 14, y - 14) - 7) < 0.6, `(${x}, ${y}) is off the ring`);
});

test('a hand-drawn cross traces to two strokes that run on through the crossing', () => {
  // Slightly tilted, so that thinning splits the crossing into two junctions and a short bridge.
  const traced = traceDigit(paint([[6, 13, 22, 16], [13, 6, 15, 22]], 2.5));
  const strokes = strokesInImage(traced);
  assert.equal(strokes.length, 2);
  for (const s of strokes) {
    const [dx, dy] = [s.at(-1)[0] - s[0][0], s.at(-1)[1] - s[0][1]];
    assert.ok(Math.hypot(dx, dy) > 13, `the stroke from ${s[0]} to ${s.at(-1)} does not cross the whole figure`);
  }
});

test('a bump on the side of a bar is no stroke of its own', () => {
  const image = paint([[14, 5, 14, 23]], 3);
  const bump = paint([[16.5, 14, 16.5, 14]], 2.5);  // a dot overlapping the bar's right edge
  const traced = traceDigit(image.map((v, k) => Math.max(v, bump[k])));
  assert.equal(traced.drawing.strokes.length, 1);
});

test('a "T" keeps its short arms: two strokes, the bar and the stem', () => {
  const image = new Uint8Array(side * side);
  const fill = (x0, y0, x1, y1) => { for (let y = y0; y < y1; ++y) for (let x = x0; x < x1; ++x) image[y * side + x] = 255; };
  fill(6, 5, 22, 10);   // bar, 5 px thick, arms 6 px beyond the stem
  fill(12, 5, 16, 23);  // stem, 4 px thick
  const traced = traceDigit(image);
  const strokes = strokesInImage(traced);
  assert.equal(strokes.length, 2);
  const xs = strokes.flat().map(([x]) => x), reach = traced.thickness / 2;  // the pen's ink reaches past the points
  const [left, right] = [Math.min(...xs) - reach, Math.max(...xs) + reach];
  assert.ok(left < 7 && right > 21, `the drawing's ink spans x ${left}..${right}, the bar 6..22`);
});

test('a thick "L" traces to one stroke with one corner', () => {
  const traced = traceDigit(paint([[9, 5, 9, 21], [9, 21, 20, 21]], 4));
  assert.equal(traced.drawing.strokes.length, 1);
  assert.equal(simplifyPolyline(strokesInImage(traced)[0].map(([x, y]) => ({ x, y })), 0.6).length, 3, 'two legs and a corner');
});

test('Ramer-Douglas-Peucker drops points on a straight line and keeps a corner', () => {
  const line = Array.from({ length: 10 }, (_, k) => ({ x: k, y: 2 * k }));
  assert.deepEqual(simplifyPolyline(line, 0.1), [line[0], line[9]]);
  const corner = [{ x: 0, y: 0 }, { x: 5, y: 0.05 }, { x: 10, y: 0 }, { x: 10, y: 10 }];
  assert.deepEqual(simplifyPolyline(corner, 0.1), [corner[0], corner[2], corner[3]]);
});

test('readIdx reads raw and gzipped IDX files and rejects other files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idx-'));
  try {
    const idx = Buffer.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    writeFileSync(join(dir, 'raw'), idx);
    writeFileSync(join(dir, 'packed.gz'), gzipSync(idx));
    for (const name of ['raw', 'packed.gz']) {
      const { dims, data } = readIdx(join(dir, name));
      assert.deepEqual(dims, [2, 3]);
      assert.deepEqual([...data], [1, 2, 3, 4, 5, 6]);
    }
    writeFileSync(join(dir, 'short'), idx.subarray(0, 15));
    assert.throws(() => readIdx(join(dir, 'short')), /header says 2x3 = 6 bytes/);
    writeFileSync(join(dir, 'text'), 'not an idx file');
    assert.throws(() => readIdx(join(dir, 'text')), /not an IDX file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the MNIST test set reads as 10,000 labelled 28x28 images', () => {
  const mnist = readMnistTest();
  assert.deepEqual([mnist.count, mnist.rows, mnist.cols], [10000, 28, 28]);
  assert.deepEqual([0, 1, 2, 9999].map(mnist.label), [7, 2, 1, 6]);  // the well-known first labels
  assert.equal(mnist.image(9999).length, 784);
});

test('the first 100 test digits become drawings on the canvas that redraw their images', (t) => {
  const mnist = readMnistTest();
  const items = mnistTestDrawings({ count: 100 });
  assert.deepEqual(items.map((x) => x.index), Array.from({ length: 100 }, (_, k) => k));
  const overlaps = [];
  for (const { index, label, drawing } of items) {
    assert.equal(label, mnist.label(index));
    assert.ok(drawing.strokes.length >= 1 && drawing.strokes.length <= 6, `#${index}: ${drawing.strokes.length} strokes`);
    assert.ok(drawing.penWidth > 5 && drawing.penWidth < 50, `#${index}: pen ${drawing.penWidth} px on a 280 px canvas`);
    for (const [x, y] of drawing.strokes.flat())
      assert.ok(x >= 0 && y >= 0 && x <= drawing.width && y <= drawing.height, `#${index}: (${x}, ${y}) is off the canvas`);
    const overlap = overlapWithImage(mnist.image(index), traceDigit(mnist.image(index)));
    assert.ok(overlap > 0.5, `#${index} (a ${label}): the drawing covers its image with IoU ${overlap.toFixed(2)}`);
    overlaps.push(overlap);
  }
  const mean = overlaps.reduce((a, b) => a + b) / overlaps.length;
  t.diagnostic(`IoU of drawing and image: mean ${mean.toFixed(3)}, lowest ${Math.min(...overlaps).toFixed(3)}`);
  assert.ok(mean > 0.7, `mean IoU of drawings and images ${mean.toFixed(3)}`);
});

test('digits are picked by position only: the same call gives the same drawings', () => {
  const once = mnistTestDrawings({ count: 5, first: 1234 });
  assert.deepEqual(once.map((x) => x.index), [1234, 1235, 1236, 1237, 1238]);
  assert.deepEqual(mnistTestDrawings({ count: 5, first: 1234 }), once);
  assert.throws(() => mnistTestDrawings({ count: 2, first: 9999 }), /not all in the test set/);
});
