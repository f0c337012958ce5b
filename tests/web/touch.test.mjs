// Drawing with a finger on a phone-sized page: touch strokes become pointer events on the pad,
// the page does not scroll while drawing, and the result is the same as with the mouse.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse, drawWithTouch, padBox } from './draw.mjs';
import { ONE, SEVEN } from './shapes.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

test('touch strokes draw on the pad without scrolling the page', async () => {
  const { page, consoleErrors } = await openPage(session, { contextOptions: PHONE });
  // The page is taller than the phone's screen, so a touch drag that the page did not stop
  // would scroll it.
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight));
  const box = await padBox(page);
  assert.ok(box.width < 390 && box.width > 250, `pad is ${box.width} px wide on a 390 px phone`);
  // Nothing (a long model name in the switch, say) makes the page wider than the phone.
  await page.locator('#model-switch').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
            'the page scrolls sideways on a 390 px phone');

  await page.evaluate(() => {
    window.padPointerTypes = new Set();
    document.querySelector('[data-testid="pad"]')
      .addEventListener('pointerdown', (e) => window.padPointerTypes.add(e.pointerType));
  });
  await drawWithTouch(page, SEVEN);
  assert.deepEqual(await page.evaluate(() => [...window.padPointerTypes]), ['touch']);
  assert.equal(await page.evaluate(() => scrollY), 0);
  assert.equal(await page.getByTestId('prediction').textContent(), '7');

  await page.getByTestId('undo').tap();
  await drawWithTouch(page, { ...SEVEN, strokes: SEVEN.strokes.slice(1) });
  assert.equal(await page.getByTestId('prediction').textContent(), '7');
  assert.equal(await page.evaluate(() => scrollY), 0);
  assert.deepEqual(consoleErrors, []);
});

test('a touch drawing and the same mouse drawing give the same prediction', async () => {
  const touch = await openPage(session, { contextOptions: PHONE });
  await drawWithTouch(touch.page, ONE);
  const mouse = await openPage(session, { contextOptions: { ...PHONE, isMobile: false, hasTouch: false } });
  await drawWithMouse(mouse.page, ONE);
  const [a, b] = [await probabilities(touch.page), await probabilities(mouse.page)];
  assert.equal(await touch.page.getByTestId('prediction').textContent(), '1');
  assert.equal(await mouse.page.getByTestId('prediction').textContent(), '1');
  for (let c = 0; c < 10; c++) assert.ok(Math.abs(a[c] - b[c]) < 1e-3, `class ${c}: touch ${a[c]}, mouse ${b[c]}`);
  assert.deepEqual([...touch.consoleErrors, ...mouse.consoleErrors], []);
});
