// The whole point of teaching, in headless Chromium through real pointer events: a style the
// shipped model misreads (the long-flag "continental" 1 of handwriting_style.mjs, drawn on the
// pad), taught with 5 drawings and the core's default learning, is then read right in drawings
// it was not taught (another seed: other geometry). Its own file, so that it runs beside the
// other page tests (it draws 17 digits and learns for a few seconds).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, startSession } from './browser.mjs';
import { drawWithMouse } from './draw.mjs';
import { longFlagOnes } from './handwriting_style.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

// The page's pad draws with its own pen: only the strokes of the style's drawings are used.
const drawings = (seed, count) => longFlagOnes(seed, count).map(({ label, style, ...drawing }) => drawing);

test('after 5 examples of a style it misread, the page reads other drawings of that style right', async () => {
  const { page, consoleErrors } = await openPage(session);
  await page.waitForFunction(() => document.body.dataset.model !== undefined);
  const pad = page.getByTestId('pad');
  const draw = async (drawing) => {
    await pad.scrollIntoViewIfNeeded();  // the buttons below the pad may have scrolled it away
    await drawWithMouse(page, drawing);
  };
  const others = drawings(2, 6);
  const readRight = async () => {
    let right = 0;
    for (const drawing of others) {
      await draw(drawing);
      if (await page.getByTestId('prediction').textContent() === '1') right++;
      await page.getByTestId('clear').click();
    }
    return right;
  };

  const before = await readRight();
  assert.ok(before < others.length / 2, `the shipped model already reads ${before} of ${others.length}`);
  for (const [i, drawing] of drawings(1, 5).entries()) {
    await draw(drawing);
    await page.getByTestId('teach-1').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="examples-count"]').textContent === String(n), i + 1);
  }
  await page.getByTestId('learn').click();
  await page.waitForFunction(() => document.body.dataset.learning !== 'running', null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.learning), 'done');
  assert.equal(await readRight(), others.length, `read right before teaching: ${before} of ${others.length}`);
  assert.deepEqual(consoleErrors, []);
});
