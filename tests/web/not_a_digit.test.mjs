// An X is not a digit: with either shipped model the page says "That does not look like a digit"
// (and names no digit, in the verdict or the screen-reader sentence) instead of "2, 83 % sure",
// while clear digits drawn right after are still read. Real pointer events throughout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse, settle } from './draw.mjs';
import { SEVEN, TEST_CANVAS, ZERO } from './shapes.mjs';

const CROSS = { ...TEST_CANVAS, strokes: [[[60, 60], [140, 140], [220, 220]], [[220, 60], [140, 140], [60, 220]]] };

let session;
let page;
let consoleErrors;
before(async () => {
  session = await startSession();
  ({ page, consoleErrors } = await openPage(session));
});
after(async () => { await session?.close(); });

async function drawAfresh(drawing) {
  await page.keyboard.press('Escape');  // clears the pad
  await drawWithMouse(page, drawing);
}

async function checkModel() {
  await drawAfresh(CROSS);
  assert.equal(await page.locator('#confidence').textContent(), 'That does not look like a digit');
  assert.equal(await page.getByTestId('prediction').textContent(), '');
  assert.equal(await page.getByTestId('runner-up').isVisible(), false);
  assert.equal((await probabilities(page)).length, 10, 'the bars still show what the network made of it');
  assert.equal(await page.locator('#bars li.top').count(), 0);
  await page.getByTestId('pad').focus();
  await page.keyboard.press('Control+z');  // undo: the announcement follows an edit
  await page.mouse.move(0, 0);
  await drawWithMouse(page, { ...CROSS, strokes: [CROSS.strokes[1]] });
  assert.equal(await page.locator('#announce').textContent(), 'That does not look like a digit.');

  for (const [drawing, digit] of [[SEVEN, '7'], [ZERO, '0']]) {
    await drawAfresh(drawing);
    assert.equal(await page.getByTestId('prediction').textContent(), digit);
    assert.match(await page.locator('#confidence').textContent(), /sure|Not sure/);
  }
}

test('an X says "That does not look like a digit" with both shipped models; a 7 and a 0 are still read', { timeout: 60_000 }, async () => {
  await checkModel();
  const select = page.locator('#model-select');
  const options = await select.locator('option').count();
  assert.ok(options >= 2, 'the page ships two models');
  await select.selectOption('1');
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await settle(page);
  await checkModel();
  assert.deepEqual(consoleErrors, []);
});
