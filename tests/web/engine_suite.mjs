// What a person does on the page, in an engine other than Chromium (engines.mjs): the parts where
// engines differ (wasm SIMD, pointer events, canvas, Workers, IndexedDB, service workers). The
// full suite runs in Chromium; this one in Firefox (engine_firefox.test.mjs) and WebKit
// (engine_webkit.test.mjs), each file its own process so the two engines run side by side.
// Every drawing the page reads is saved through its "Save drawing" and read again by
// `lenet-train predict`: the page must give the native probabilities within 1e-5.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';
import { BASE_PATH, WEB_ROOT } from './browser.mjs';
import { ENGINES } from './engines.mjs';
import { LENET_TRAIN, assertClose, assertLenetTrainBuilt } from './native.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';
import { tracedTestDigits } from './traced_digits.mjs';

const MODEL = join(WEB_ROOT, 'models/lenet-web.safetensors');

// In the page: "Save drawing" hands its blob to the test instead of the browser's downloads.
function catchDownloads() {
  if (window.__lenetSaved) return;
  window.__lenetSaved = [];
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { window.__lenetSaved.push(blob); return createObjectURL(blob); };
  HTMLAnchorElement.prototype.click = function click() {};  // no download dialog
}

const state = (engine) => engine.evaluate(() => document.body.dataset.state);
const prediction = (engine) => engine.evaluate(() => document.querySelector('[data-testid="prediction"]').textContent);
const probabilities = (engine) => engine.evaluate(() => {
  const values = [...document.querySelectorAll('[data-testid^="prob-"]')].map((row) => row.dataset.value);
  return values.every((v) => v === '') ? null : values.map(Number);
});
// Two animation frames: the page reads the pad in the frame after an input event.
const settle = (engine) => engine.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function open(engine, url, waitFor = 'ready') {
  await engine.goto(url);
  await engine.waitFor((s) => document.body.dataset.state === s, waitFor, `the page to be ${waitFor}`);
  await engine.evaluate(catchDownloads);
}

// Draws a drawing JSON on the pad with the mouse (or touch), its canvas scaled onto the pad's box.
async function draw(engine, drawing, { touch = false } = {}) {
  const box = await engine.evaluate(() => {
    const pad = document.querySelector('[data-testid="pad"]');
    pad.scrollIntoView({ block: 'center' });
    const r = pad.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  const scale = Math.min(box.width / drawing.width, box.height / drawing.height);
  for (const stroke of drawing.strokes)
    if (stroke.length) await engine[touch ? 'touchStroke' : 'stroke'](stroke.map(([x, y]) => ({ x: box.x + x * scale, y: box.y + y * scale })));
  await settle(engine);
}

async function click(engine, testid) {
  await engine.click(`[data-testid="${testid}"]`);
  await settle(engine);
}

// What "Save drawing" saved, as the drawing JSON.
async function saved(engine) {
  await click(engine, 'save');
  return JSON.parse(await engine.evaluate(() => window.__lenetSaved.at(-1).text()));
}

export function engineSuite(name) {
  describe(`the page in ${name}`, () => {
    let engine;
    let served;
    let scratch;
    before(async () => {
      assertLenetTrainBuilt();
      scratch = mkdtempSync(join(tmpdir(), `lenet-${name}-`));
      served = await startServer({ root: WEB_ROOT, port: 0, base: BASE_PATH });
      engine = await ENGINES[name]();
    });
    after(async () => {
      await engine?.close();
      if (served) await new Promise((resolve) => served.server.close(resolve));
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    // The page's probabilities for each drawing against lenet-train predict on what it saved.
    async function assertNative(pageResults) {
      const files = pageResults.map(({ drawing }, k) => {
        const file = join(scratch, `drawing-${k}.json`);
        writeFileSync(file, JSON.stringify(drawing));
        return file;
      });
      const native = JSON.parse(execFileSync(LENET_TRAIN, ['predict', '--model', MODEL, '--json', ...files], { encoding: 'utf8' }));
      pageResults.forEach(({ probabilities: p, what }, k) => assertClose(p, native[k].probabilities, `${name}: ${what}`));
      return native;
    }

    test('loads with the SIMD module and reads drawn digits exactly as lenet-train does', async () => {
      await open(engine, served.url);
      assert.equal(await engine.evaluate(() => document.body.dataset.engine), 'simd');
      assert.equal(await engine.evaluate(() => document.querySelector('#error').hidden), true);
      const digits = [{ label: 1, drawing: ONE }, { label: 0, drawing: ZERO }, { label: 7, drawing: SEVEN },
                      ...tracedTestDigits({ count: 12 })];
      const results = [];
      let right = 0;
      for (const [k, { label, drawing }] of digits.entries()) {
        await draw(engine, drawing);
        const shown = await prediction(engine);
        if (shown === String(label)) right++;
        results.push({ what: `drawing ${k} (a ${label}, read as ${shown})`, probabilities: await probabilities(engine),
                       drawing: await saved(engine) });
        await click(engine, 'clear');
      }
      await assertNative(results);
      assert.ok(right >= digits.length - 1, `${right} of ${digits.length} read right`);
      assert.deepEqual(await engine.errors(), []);
    });

    if (name === 'firefox') {
      test('reads digits drawn with touch (touch-type pointer events)', async () => {
        await open(engine, served.url);
        for (const [digit, drawing] of [['1', ONE], ['7', SEVEN]]) {
          await draw(engine, drawing, { touch: true });
          assert.equal(await prediction(engine), digit);
          await click(engine, 'clear');
        }
        assert.deepEqual(await engine.errors(), []);
      });
    }

    test('Undo removes the last stroke and Clear empties the pad', async () => {
      await open(engine, served.url);
      await draw(engine, { ...SEVEN, strokes: SEVEN.strokes.slice(0, 1) });
      const barOnly = await probabilities(engine);
      await draw(engine, { ...SEVEN, strokes: SEVEN.strokes.slice(1) });
      assert.equal(await prediction(engine), '7');
      await click(engine, 'undo');
      assert.deepEqual(await probabilities(engine), barOnly);
      await click(engine, 'clear');
      assert.equal(await prediction(engine), '');
      assert.equal(await probabilities(engine), null);
      assert.deepEqual(await engine.errors(), []);
    });

    test('"Show what each layer sees" draws the feature maps of the drawing', async () => {
      await open(engine, served.url);
      await draw(engine, SEVEN);
      await engine.click('#layers summary');
      const tiles = await engine.waitFor(() => {
        const canvases = [...document.querySelectorAll('#layers-maps canvas')];
        const inked = canvases.filter((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 0 && v > 0));
        return inked.length ? { tiles: canvases.length, inked: inked.length, groups: document.querySelectorAll('#layers-maps .layer-maps').length } : null;
      }, null, 'the layer view to show tiles');
      assert.ok(tiles.groups >= 2 && tiles.tiles >= 8, JSON.stringify(tiles));
      assert.deepEqual(await engine.errors(), []);
    });

    test('the scalar module (?simd=0) reads as the SIMD one', async () => {
      await open(engine, `${served.url}?simd=0`);
      assert.equal(await engine.evaluate(() => document.body.dataset.engine), 'scalar');
      await draw(engine, SEVEN);
      assert.equal(await prediction(engine), '7');
      await assertNative([{ what: 'SEVEN, scalar module', probabilities: await probabilities(engine), drawing: await saved(engine) }]);
      assert.deepEqual(await engine.errors(), []);
    });

    test('teach, learn in the Worker, and a reload keeps the examples and the personal model', async (t) => {
      await open(engine, `${served.url}?learn-steps=10`);
      await engine.waitFor(() => document.body.dataset.model !== undefined, null, 'the stored examples');
      for (const [k, [drawing, digit]] of [[SEVEN, 7], [ONE, 1], [ZERO, 0]].entries()) {
        await draw(engine, drawing);
        await click(engine, `teach-${digit}`);
        await engine.waitFor((n) => document.querySelector('[data-testid="examples-count"]').textContent === String(n), k + 1, `${k + 1} examples`);
      }
      const started = Date.now();
      await click(engine, 'learn');
      await engine.waitFor(() => document.body.dataset.learning !== 'running' && document.body.dataset.learning, null, 'learning to end', 120000);
      t.diagnostic(`${name}: 10 learning steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(await engine.evaluate(() => document.body.dataset.learning), 'done',
                   await engine.evaluate(() => document.querySelector('[data-testid="teach-error"]').textContent));
      assert.equal(await engine.evaluate(() => document.body.dataset.model), 'personal');

      await engine.reload();
      await engine.waitFor(() => document.body.dataset.state === 'ready' && document.body.dataset.model, null, 'the page back with its model');
      assert.equal(await engine.evaluate(() => document.body.dataset.model), 'personal');
      assert.equal(await engine.evaluate(() => document.querySelector('[data-testid="examples-count"]').textContent), '3');
      await draw(engine, SEVEN);
      assert.equal(await prediction(engine), '7');
      await click(engine, 'forget');
      assert.deepEqual(await engine.errors(), []);
    });

    test('offline: after one visit the page loads and reads a digit with the server gone', async () => {
      const offline = await startServer({ root: WEB_ROOT, port: 0, base: BASE_PATH });
      try {
        await open(engine, offline.url);
        await engine.waitFor(() => navigator.serviceWorker?.controller !== null, null, 'the service worker to control the page', 60000);
        await new Promise((resolve) => { offline.server.close(resolve); offline.server.closeAllConnections(); });
        await engine.reload();
        await engine.waitFor(() => document.body.dataset.state === 'ready', null, 'the page to load from the offline copy');
        await draw(engine, ONE);
        assert.equal(await prediction(engine), '1');
        assert.deepEqual(await engine.errors(), []);
      } finally {
        offline.server.closeAllConnections();
      }
    });
  });
}
