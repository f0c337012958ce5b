// The page recognises digits drawn on it with real pointer events: MNIST test digits nobody wrote
// for this test, traced into strokes by the core (`lenet-train trace`), drawn on the pad with the
// mouse and some with touch (draw.mjs), read back from the page's prediction. At least 90 % must be right.
// The page is served under a subpath as on GitHub Pages (browser.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, startSession } from './browser.mjs';
import { drawWithMouse, drawWithTouch } from './draw.mjs';
import { tracedTestDigits } from './traced_digits.mjs';

const digitCount = 60;       // the first 60 of the test set, in order: no choosing
const touchEvery = 6;        // every 6th digit with touch (10 of 60), the others with the mouse
const requiredAccuracy = 0.9;

const prediction = '[data-testid="prediction"]';

function nextAnimationFrames(page, frames = 2) {
  return page.evaluate((n) => new Promise((resolve) => {
    const step = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  }), frames);
}

// The digit the page shows once it has caught up with the drawing: prediction runs at most once per
// animation frame while drawing, so wait for a digit, then until it stays the same across frames.
async function settledPrediction(page) {
  await page.waitForFunction((selector) => document.querySelector(selector).textContent.trim() !== '', prediction);
  let shown = (await page.textContent(prediction)).trim();
  for (;;) {
    await nextAnimationFrames(page);
    const now = (await page.textContent(prediction)).trim();
    if (now === shown) return now;
    shown = now;
  }
}

async function clearPad(page) {
  await page.click('[data-testid="clear"]');
  await page.waitForFunction((selector) => document.querySelector(selector).textContent.trim() === '', prediction);
}

// Pages drawn on at once, each in its own browser context: one page leaves a core idle between
// input events and animation frames (60 digits: 36 s on one page, 31 s on three, alone on 2 cores).
const pages = 3;

// Draws digits[n] for every n with n % pages === lane on a page of its own; returns the misses.
async function drawLane(session, digits, lane) {
  // hasTouch: touch input needs it; the mouse still works.
  const { page, consoleErrors } = await openPage(session, { contextOptions: { hasTouch: true } });
  const misses = [];
  for (let n = lane; n < digits.length; n += pages) {
    const { index, label, drawing } = digits[n];
    const withTouch = n % touchEvery === touchEvery - 1;
    await (withTouch ? drawWithTouch : drawWithMouse)(page, drawing);
    const shown = await settledPrediction(page);
    if (shown !== String(label)) misses.push(`#${index} (${withTouch ? 'touch' : 'mouse'}): a ${label} read as ${shown}`);
    await clearPad(page);
  }
  assert.deepEqual(consoleErrors, []);
  return misses;
}

test(`the page recognises >= ${requiredAccuracy * 100} % of ${digitCount} traced MNIST test digits drawn with mouse and touch`, { timeout: 300_000 }, async () => {
  const digits = tracedTestDigits({ count: digitCount });
  const session = await startSession();
  try {
    const lanes = await Promise.all(Array.from({ length: pages }, (_, lane) => drawLane(session, digits, lane)));
    const misses = lanes.flat();
    const right = digits.length - misses.length;
    console.log(`traced MNIST test digits on the page: ${right}/${digits.length} right (${((100 * right) / digits.length).toFixed(1)} %)`);
    for (const miss of misses) console.log(`  ${miss}`);
    assert.ok(right / digits.length >= requiredAccuracy, `${right}/${digits.length} right, below ${requiredAccuracy * 100} %: ${misses.join('; ')}`);
  } finally {
    await session.close();
  }
});
