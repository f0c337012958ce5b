// The page's behaviour in headless Chromium, served under a subpath: loading, drawing with the
// mouse, Clear, Undo, the keyboard shortcuts, the empty pad, and no console errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse, settle } from './draw.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';

const prediction = (page) => page.getByTestId('prediction').textContent();

async function assertEmpty(page) {
  assert.equal(await prediction(page), '');
  assert.equal(await probabilities(page), null);
  // The bars' target widths (their CSS transition may still be running).
  const widths = await page.$$eval('#bars .fill', (fills) => fills.map((f) => f.style.width));
  assert.deepEqual(widths, Array(10).fill('0%'));
}

function assertSumsToOne(p) {
  const sum = p.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
}

// Every module main.js imports, directly or not, is preloaded by index.html: none waits for the
// module that imports it to arrive first.
test('index.html preloads main.js\'s whole static module graph, and nothing else', () => {
  const js = new URL('../../web/js/', import.meta.url);
  const graph = new Set();
  const visit = (file) => {
    if (graph.has(file)) return;
    graph.add(file);
    const source = readFileSync(new URL(file, js), 'utf8');
    for (const [, imported] of source.matchAll(/^import\s[^;]*?from\s+'\.\/([\w.]+)';/gms)) visit(imported);
  };
  visit('main.js');
  const html = readFileSync(new URL('../index.html', js), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="js\/([\w.]+)">/g)].map((m) => m[1]);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
});

describe('the page', () => {
  let session;
  let page;
  let consoleErrors;
  before(async () => { session = await startSession(); });
  after(async () => { await session?.close(); });
  beforeEach(async () => {
    ({ page, consoleErrors } = await openPage(session));
  });

  test('loads under a subpath with the SIMD engine and shows the model\'s metadata', async () => {
    assert.equal(await page.evaluate(() => document.body.dataset.engine), 'simd');
    assert.match(await page.locator('#model-arch').textContent(), /^input\(1,28,28\) conv/);
    assert.equal(await page.locator('#model-parameters').textContent(), '91,594');  // lenet-web, the default
    assert.match(await page.locator('#model-accuracy').textContent(), /^\d+\.\d\d % on 10,000 test images$/);
    assert.equal(await page.locator('#error').isHidden(), true);
    assert.deepEqual(consoleErrors, []);
  });

  test('the work index.html starts early is the page\'s: the default model, each file downloaded once', async () => {
    const { started, fetched } = await page.evaluate(() => ({
      // js/early.js deletes what the page took over: everything was used.
      started: Object.keys(self.lenetEarly),
      fetched: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
    }));
    const web = new URL('../../web/', import.meta.url);
    const first = JSON.parse(readFileSync(new URL('models/models.json', web), 'utf8')).models[0].file;
    const html = readFileSync(new URL('index.html', web), 'utf8');
    assert.match(html, new RegExp(`start\\('models/${first.replace('.', '\\.')}'`), 'the early script downloads the default model');
    assert.deepEqual(started, [], 'every early download and the compiled module were taken over');
    for (const file of ['wasm/simd/lenet.wasm', 'wasm/simd/lenet.mjs', 'models/models.json', `models/${first}`])
      assert.equal(fetched.filter((p) => p.endsWith(file)).length, 1, `${file} was downloaded ${fetched.join(', ')}`);
  });

  test('nothing drawn: no prediction, empty bars, nothing to undo, clear or save', async () => {
    await assertEmpty(page);
    for (const id of ['undo', 'clear', 'save']) assert.equal(await page.getByTestId(id).isDisabled(), true, id);
  });

  test('recognises digits drawn with the mouse; probabilities sum to 1', async () => {
    for (const [digit, drawing] of [['1', ONE], ['0', ZERO]]) {
      await drawWithMouse(page, drawing);
      assert.equal(await prediction(page), digit);
      const p = await probabilities(page);
      assertSumsToOne(p);
      assert.equal(p.indexOf(Math.max(...p)), Number(digit));
      assert.match(await page.locator('#inference-time').textContent(), /^\d+\.\d\d ms/);
      assert.match(await page.locator('#announce').textContent(), new RegExp(`^Looks like a ${digit}, \\d+ percent sure\\.$`));
      await page.getByTestId('clear').click();
      await settle(page);
    }
    assert.deepEqual(consoleErrors, []);
  });

  test('Undo removes the last stroke, button and Ctrl+Z alike', async () => {
    const bar = { ...SEVEN, strokes: SEVEN.strokes.slice(0, 1) };
    await drawWithMouse(page, bar);
    const barOnly = await probabilities(page);
    await drawWithMouse(page, { ...SEVEN, strokes: SEVEN.strokes.slice(1) });
    assert.equal(await prediction(page), '7');

    await page.getByTestId('undo').click();
    await settle(page);
    assert.deepEqual(await probabilities(page), barOnly);

    await drawWithMouse(page, { ...SEVEN, strokes: SEVEN.strokes.slice(1) });
    assert.equal(await prediction(page), '7');
    await page.keyboard.press('Control+z');
    await settle(page);
    assert.deepEqual(await probabilities(page), barOnly);
    await page.keyboard.press('Meta+z');
    await settle(page);
    await assertEmpty(page);
    assert.deepEqual(consoleErrors, []);
  });

  test('Clear empties the pad, button and Escape alike', async () => {
    await drawWithMouse(page, SEVEN);
    assert.equal(await prediction(page), '7');
    await page.getByTestId('clear').click();
    await settle(page);
    await assertEmpty(page);
    assert.equal(await page.locator('#announce').textContent(), 'Nothing drawn.');

    await drawWithMouse(page, ONE);
    assert.equal(await prediction(page), '1');
    await page.keyboard.press('Escape');
    await settle(page);
    await assertEmpty(page);
    assert.deepEqual(consoleErrors, []);
  });
});
