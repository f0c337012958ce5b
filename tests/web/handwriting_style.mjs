// A writing style the shipped model misreads, for measuring what fine-tuning teaches it: the
// "continental" 1 written with a long, shallow up-stroke (a flag at 20-35 degrees below the
// horizontal, 0.4-0.7 of the height long), in one stroke from the flag's end up to the top and
// down the stem. Training's flagged-1 style (core/ink/styles.cpp) draws its flags at 35-72 degrees,
// so this geometry is one training never drew: the shipped model reads most of these as 7s.
// (Flatter still, 12-28 degrees, it reads all of them as 7s, and teaching them costs real 7s:
// README, "Teach it your handwriting".) Seeded: drawing i of seed s is the same everywhere.
import { TEST_CANVAS } from './shapes.mjs';

// mulberry32: small, seeded, the same in every JavaScript engine.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function segment(from, to, points, jitter, random) {
  return Array.from({ length: points }, (_, k) => {
    const t = (k + 1) / points;
    return [from[0] + t * (to[0] - from[0]) + jitter * (random() - 0.5),
            from[1] + t * (to[1] - from[1]) + jitter * (random() - 0.5)];
  });
}

// One long-flag 1 as the page's drawing object, from `random` (a generator()).
function longFlagOne(random) {
  const between = (lo, hi) => lo + (hi - lo) * random();
  const height = between(150, 220);
  const top = [between(120, 175), between(30, 70)];
  const slant = between(-0.12, 0.2);  // the stem leans right by this per unit of height
  const bottom = [top[0] - slant * height, top[1] + height];
  const angle = (between(20, 35) * Math.PI) / 180;
  const length = between(0.4, 0.7) * height;
  const flag = [top[0] - length * Math.cos(angle), top[1] + length * Math.sin(angle)];
  const r = (v) => Math.round(v * 10) / 10;
  const stroke = [flag, ...segment(flag, top, 8, 2.5, random), ...segment(top, bottom, 12, 2.5, random)];
  return { ...TEST_CANVAS, penWidth: r(between(12, 22)), strokes: [stroke.map(([x, y]) => [r(x), r(y)])] };
}

// `count` labelled drawings of the style from `seed` (label 1, style "long-flag-1").
export function longFlagOnes(seed, count) {
  const random = generator(seed);
  return Array.from({ length: count }, () => ({ ...longFlagOne(random), label: 1, style: 'long-flag-1' }));
}
