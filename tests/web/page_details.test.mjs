// The page's details a visitor meets: the pad in the accessibility tree with a visible border,
// focus kept on the pad when a button empties it, no spinner without JavaScript, no layout shift
// when loading ends, "an 8", and a missing module named in one sentence with a Retry button.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, startSession } from './browser.mjs';
import { drawWithMouse, settle } from './draw.mjs';
import { SEVEN } from './shapes.mjs';
import { tracedTestDigits } from './traced_digits.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

// WCAG's contrast ratio of two CSS colours "rgb(r, g, b)".
function contrast(a, b) {
  const luminance = (css) => {
    const [r, g, bl] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the pad\'s border stands out (>= 3:1) from the card and the pad, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openPage(session, { contextOptions: { colorScheme } });
    const colours = await page.evaluate(() => {
      const pad = getComputedStyle(document.getElementById('pad'));
      const card = getComputedStyle(document.querySelector('.pad-card'));
      return { border: pad.borderTopColor, pad: pad.backgroundColor, card: card.backgroundColor };
    });
    for (const against of ['pad', 'card'])
      assert.ok(contrast(colours.border, colours[against]) >= 3,
                `${colorScheme}: border ${colours.border} against the ${against} ${colours[against]}: ` +
                `${contrast(colours.border, colours[against]).toFixed(2)}:1`);
    await context.close();
  }
});

test('the pad is in the accessibility tree, named, and can take the focus', async () => {
  const { page, context } = await openPage(session);
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const pad = nodes.find((n) => !n.ignored && /^Drawing pad: draw one digit/.test(n.name?.value ?? ''));
  assert.ok(pad, 'no accessible node named "Drawing pad: ..."');
  assert.equal(pad.role.value, 'application');
  await page.focus('#pad');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pad');
  await context.close();
});

// index.html gives the canvas no size: CSS sizes it, and drawing_pad.js sets its bitmap.
test('the pad is square on screen, its bitmap one pixel per screen pixel (here 2 per CSS pixel)', async () => {
  const { page, context } = await openPage(session, { contextOptions: { deviceScaleFactor: 2 } });
  const pad = await page.evaluate(() => {
    const canvas = document.getElementById('pad');
    const box = canvas.getBoundingClientRect();
    return { box: [box.width, box.height], bitmap: [canvas.width, canvas.height] };
  });
  assert.ok(pad.box[0] > 200 && pad.box[0] === pad.box[1], `the pad is ${pad.box.join(' x ')} px`);
  assert.deepEqual(pad.bitmap, [Math.round(2 * pad.box[0]), Math.round(2 * pad.box[0])]);
  await context.close();
});

test('Clear or Undo pressed from the keyboard leaves the focus on the pad, not at the top of the page', async () => {
  const { page, context, consoleErrors } = await openPage(session);
  for (const button of ['clear', 'undo']) {
    await drawWithMouse(page, { ...SEVEN, strokes: SEVEN.strokes.slice(0, 1) });
    await page.focus(`#${button}`);
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await page.getByTestId('prediction').textContent(), '', `${button} did not empty the pad`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'pad', `after ${button}`);
  }
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('without JavaScript: the message says so, and no spinner turns beside it', async () => {
  const { page, context } = await openPage(session, { waitFor: null, contextOptions: { javaScriptEnabled: false } });
  await page.waitForLoadState('load');
  assert.equal(await page.locator('.status').isVisible(), false);
  const message = page.locator('noscript > .error');  // (text locators skip <noscript>)
  assert.equal(await message.textContent(), 'This page needs JavaScript to recognise digits.');
  assert.ok((await message.boundingBox())?.height > 0, 'the message is not shown');
  await context.close();
});

test('the end of loading moves nothing on the page (no layout shift)', async () => {
  const { page, context } = await openPage(session, {
    beforeLoad: (p) => p.addInitScript(() => {
      window.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.layoutShift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    }),
  });
  await settle(page);
  assert.equal(await page.evaluate(() => window.layoutShift), 0);
  await context.close();
});

test('an 8 is "an 8" in what the page says', async () => {
  const eight = tracedTestDigits({ count: 100 }).find((d) => d.label === 8);
  const { page, context } = await openPage(session);
  await drawWithMouse(page, eight.drawing);
  assert.equal(await page.getByTestId('prediction').textContent(), '8');
  assert.match(await page.locator('#announce').textContent(), /ooks like an 8\b/);
  await context.close();
});

test('a missing .wasm file: one sentence naming it, the pad says nothing can be read, Retry loads again', async () => {
  let missing = true;
  const { page, context } = await openPage(session, {
    waitFor: 'error',
    beforeLoad: (p) => p.route('**/wasm/simd/lenet.wasm',
                               (route) => (missing ? route.fulfill({ status: 404, body: 'gone' }) : route.continue())),
  });
  assert.equal(await page.locator('#error-text').textContent(),
               'Could not download the recognition module /lenet/wasm/simd/lenet.wasm (HTTP 404).');
  assert.equal(await page.locator('#confidence').textContent(), 'No network loaded: nothing can be recognised');
  missing = false;
  await page.getByTestId('retry').click();
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.equal(await page.locator('#error').isHidden(), true);
  await drawWithMouse(page, SEVEN);
  assert.equal(await page.getByTestId('prediction').textContent(), '7');
  await context.close();
});
