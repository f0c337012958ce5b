// Draws the page's PNG icons (for the web app manifest) from the same shape as web/icon.svg: a
// rounded blue square with a white 7 (the polyline 20,18 -> 44,18 -> 28,48 on a 64-unit grid,
// stroke 7 with round caps and joins). Node only (zlib for the PNG), no packages.
//   node scripts/make_icons.mjs     writes web/icons/icon-192.png, icon-512.png, icon-maskable-512.png
// The maskable icon fills the whole square (the platform cuts its own shape out of it) and keeps
// the 7 inside the central circle of 40 % radius that every mask leaves visible.
// The PNGs are committed; run this again only when the icon changes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const BLUE = [0x2f, 0x5b, 0xea];
const WHITE = [0xff, 0xff, 0xff];
const CORNER_RADIUS = 14;      // icon.svg's rx, in 64ths
const STROKE_HALF_WIDTH = 3.5;
const SEVEN = [[20, 18], [44, 18], [28, 48]];
const SAMPLES = 4;             // 4 x 4 samples per pixel: smooth edges

function distanceToSegment([px, py], [ax, ay], [bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inRoundedSquare([x, y]) {
  const inner = 32 - CORNER_RADIUS;
  const dx = Math.max(Math.abs(x - 32) - inner, 0);
  const dy = Math.max(Math.abs(y - 32) - inner, 0);
  return dx * dx + dy * dy <= CORNER_RADIUS * CORNER_RADIUS;
}

// glyphScale shrinks the 7 about the centre (maskable icons keep it in the safe zone).
function inSeven([x, y], glyphScale) {
  const p = [32 + (x - 32) / glyphScale, 32 + (y - 32) / glyphScale];
  for (let i = 0; i + 1 < SEVEN.length; i++)
    if (distanceToSegment(p, SEVEN[i], SEVEN[i + 1]) <= STROKE_HALF_WIDTH) return true;
  return false;
}

// RGBA pixels, row by row, each row led by PNG filter byte 0.
function render(size, { maskable }) {
  const glyphScale = maskable ? 0.8 : 1;
  const rows = Buffer.alloc(size * (1 + 4 * size));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let background = 0, glyph = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const p = [((x + (sx + 0.5) / SAMPLES) * 64) / size, ((y + (sy + 0.5) / SAMPLES) * 64) / size];
          if (!maskable && !inRoundedSquare(p)) continue;
          background++;
          if (inSeven(p, glyphScale)) glyph++;
        }
      }
      const n = SAMPLES * SAMPLES;
      const colour = BLUE.map((c, i) => (background ? Math.round((c * (background - glyph) + WHITE[i] * glyph) / background) : 0));
      rows.set([...colour, Math.round((255 * background) / n)], y * (1 + 4 * size) + 1 + 4 * x);
    }
  }
  return rows;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rows) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);  // 8 bits per channel, RGBA, deflate, filter 0, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = new URL('../web/icons/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true]]) {
  const bytes = png(size, render(size, { maskable }));
  writeFileSync(new URL(name, outDir), bytes);
  console.log(`make_icons: web/icons/${name}  ${size}x${size}, ${bytes.length} bytes`);
}
