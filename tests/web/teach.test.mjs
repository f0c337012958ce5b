// Teaching the page a person's handwriting, in headless Chromium through real pointer events and
// keys: keep corrected drawings (the "It is:" buttons and Shift+digit), learn in the Worker,
// predict with the personal model, find it all again after a reload, switch back, forget, cancel;
// a Worker that fails and a damaged store leave the page reading digits with the shipped model.
// The downloads are read by the native lenet-train: the personal model (info, and predict gives
// the page's probabilities) and the examples (eval-drawings). Runs use few steps (?learn-steps=).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WEB_ROOT, openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse as drawOnVisiblePad, settle } from './draw.mjs';
import { LENET_TRAIN, MNIST_DIR, assertClose, assertLenetTrainBuilt } from './native.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';


let session;
let scratch;
before(async () => {
  session = await startSession();
  scratch = mkdtempSync(join(tmpdir(), 'lenet-teach-'));
});
after(async () => {
  await session?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const text = (page, testid) => page.getByTestId(testid).textContent();
const state = (page) => page.evaluate(() => ({ learning: document.body.dataset.learning, model: document.body.dataset.model }));

// The page is ready to teach once its stored examples and model are back.
async function openTeachPage(options = {}) {
  const opened = await openPage(session, { query: '?learn-steps=3', ...options });
  await pageReady(opened.page);
  return opened;
}

async function pageReady(page) {
  await page.waitForFunction(() => document.body.dataset.model !== undefined);
}

async function waitForCount(page, n) {
  await page.waitForFunction((n) => document.querySelector('[data-testid="examples-count"]').textContent === String(n), n);
}

async function teachWithButton(page, drawing, digit, expectedCount) {
  await drawWithMouse(page, drawing);
  await page.getByTestId(`teach-${digit}`).click();
  await waitForCount(page, expectedCount);
}

async function teachWithKeys(page, drawing, digit, expectedCount) {
  await drawWithMouse(page, drawing);
  await page.getByTestId('pad').focus();
  await page.keyboard.press(`Shift+Digit${digit}`);
  await waitForCount(page, expectedCount);
}

async function learn(page) {
  await page.getByTestId('learn').click();
  await page.waitForFunction(() => document.body.dataset.learning !== 'running');
  assert.equal((await state(page)).learning, 'done', await text(page, 'teach-error'));
}

// The probabilities of `drawing` on the pad, the pad cleared again afterwards.
async function probabilitiesOf(page, drawing) {
  await drawWithMouse(page, drawing);
  const p = await probabilities(page);
  await page.getByTestId('clear').click();
  await settle(page);
  return p;
}

// Clicks the button (a data-testid or a locator) and saves what it downloads as scratch/name.
async function download(page, button, name) {
  const locator = typeof button === 'string' ? page.getByTestId(button) : button;
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const path = join(scratch, name);
  await file.saveAs(path);
  return { path, suggested: file.suggestedFilename() };
}

// The teaching card's buttons scroll the page: the pad comes back into view before drawing.
async function drawWithMouse(page, drawing) {
  await page.getByTestId('pad').scrollIntoViewIfNeeded();
  await drawOnVisiblePad(page, drawing);
}

// The tensors of an F32 .safetensors file (8-byte header length, JSON header, data): name -> floats.
function tensorsOf(path) {
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = 8 + headerLength;
  return Object.fromEntries(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, t]) => {
    assert.equal(t.dtype, 'F32', name);
    const [begin, end] = t.data_offsets;
    return [name, new Float32Array(bytes.buffer.slice(bytes.byteOffset + data + begin, bytes.byteOffset + data + end))];
  }));
}

const lenetTrain = (...args) => execFileSync(LENET_TRAIN, args, { encoding: 'utf8' });

test('teach, learn, predict with the personal model, reload, switch back, forget; lenet-train reads the downloads', async () => {
  assertLenetTrainBuilt();
  const { page, consoleErrors } = await openTeachPage();
  assert.deepEqual(await state(page), { learning: 'idle', model: 'shipped' });
  assert.equal(await text(page, 'examples-count'), '0');
  assert.equal(await page.getByTestId('learn').isDisabled(), true);
  assert.equal(await page.getByTestId('teach-7').isDisabled(), true, 'nothing drawn, nothing to keep');
  const shippedSeven = await probabilitiesOf(page, SEVEN);

  // Keeping a drawing clears the pad; the digit's counter and the gallery show it.
  await teachWithButton(page, SEVEN, 7, 1);
  assert.equal(await text(page, 'prediction'), '');
  assert.equal(await page.getByTestId('teach-7').getAttribute('aria-label'), 'It is 7 (1 example kept)');
  await teachWithKeys(page, ONE, 1, 2);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pad', 'the pad keeps the focus for the next digit');
  await teachWithButton(page, ZERO, 0, 3);
  assert.equal(await page.getByTestId('example').count(), 3);
  await page.getByTestId('remove-example').nth(2).click();  // the 0 goes again
  await waitForCount(page, 2);
  assert.deepEqual(await page.locator('.example-label').allTextContents(), ['7', '1']);

  await learn(page);
  assert.equal((await state(page)).model, 'personal');
  const status = await text(page, 'personal-status');
  assert.match(status, /^Personal model: 2 examples, learned in \d+\.\d s\.$/);
  const personalSeven = await probabilitiesOf(page, SEVEN);
  assert.notDeepEqual(personalSeven, shippedSeven);

  // The downloaded model is the one the page predicts with: lenet-train gives the same numbers
  // for the drawing the page saves.
  const model = await download(page, 'download-model', 'personal.safetensors');
  assert.equal(model.suggested, 'lenet-personal.safetensors');
  const { metadata } = JSON.parse(lenetTrain('info', '--json', model.path));
  assert.equal(metadata.finetuned_from, 'models/lenet-web.safetensors');
  assert.equal(metadata.finetune_examples, '2');
  assert.equal(metadata.finetune_steps, '3');
  await drawWithMouse(page, SEVEN);
  const drawing = await download(page, 'save', 'seven.json');
  const [native] = JSON.parse(lenetTrain('predict', '--model', model.path, '--json', drawing.path));
  assertClose(native.probabilities, personalSeven, 'page vs lenet-train predict with the personal model');
  await page.getByTestId('clear').click();

  // The examples: the page's drawing format plus "label", which eval-drawings reads.
  const examples = await download(page, 'download-examples', 'examples.json');
  assert.equal(examples.suggested, 'lenet-examples.json');
  const list = JSON.parse(readFileSync(examples.path, 'utf8'));
  assert.deepEqual(list.map((e) => e.label), [7, 1]);
  assert.deepEqual(Object.keys(list[0]).sort(), ['height', 'label', 'penWidth', 'strokes', 'width']);
  const evaluated = JSON.parse(lenetTrain('eval-drawings', '--model', model.path, '--json', examples.path));
  assert.equal(typeof evaluated.accuracy, 'number');
  // The same learning natively from the downloaded examples gives the page's personal model.
  const nativeModel = join(scratch, 'native.safetensors');
  lenetTrain('finetune', '--model', join(WEB_ROOT, 'models/lenet-web.safetensors'), '--drawings', examples.path,
             '--steps', '3', '--data', MNIST_DIR, '--out', nativeModel);
  const [inPage, natively] = [tensorsOf(model.path), tensorsOf(nativeModel)];
  assert.deepEqual(Object.keys(natively).sort(), Object.keys(inPage).sort());
  for (const [name, values] of Object.entries(inPage)) assertClose(values, natively[name], `${name}, page vs lenet-train finetune`);
  // One kept example's thumbnail saves it alone, as "Save drawing" does, with its label.
  const one = await download(page, page.getByTestId('save-example').first(), 'one.json');
  assert.match(one.suggested, /^lenet-drawing-label-7-.+\.json$/);
  assert.deepEqual(JSON.parse(readFileSync(one.path, 'utf8')), list[0]);
  JSON.parse(lenetTrain('eval-drawings', '--model', model.path, '--json', one.path));

  // A reload finds the examples and the personal model, in use.
  await page.reload();
  await pageReady(page);
  assert.equal(await text(page, 'examples-count'), '2');
  assert.equal((await state(page)).model, 'personal');
  assert.equal(await text(page, 'personal-status'), status);
  assert.deepEqual(await probabilitiesOf(page, SEVEN), personalSeven);

  // Back to the shipped model, which a reload remembers too.
  await page.getByTestId('use-original').click();
  assert.equal((await state(page)).model, 'shipped');
  assert.deepEqual(await probabilitiesOf(page, SEVEN), shippedSeven);
  await page.reload();
  await pageReady(page);
  assert.equal((await state(page)).model, 'shipped');
  assert.equal(await page.getByTestId('use-personal').isVisible(), true);

  // Forgetting deletes the examples and the personal model, also for the next visit.
  await page.getByTestId('forget').click();
  await waitForCount(page, 0);
  assert.equal(await page.getByTestId('use-personal').isVisible(), false);
  assert.equal(await page.getByTestId('learn').isDisabled(), true);
  await page.reload();
  await pageReady(page);
  assert.equal(await text(page, 'examples-count'), '0');
  assert.equal(await text(page, 'personal-status'), 'Reading digits with the shipped model.');
  assert.deepEqual(consoleErrors, []);
});

test('Cancel stops a run and keeps the model as it was', async () => {
  const { page, consoleErrors } = await openTeachPage({ query: '?learn-steps=100000' });
  await teachWithButton(page, SEVEN, 1, 1);
  const before = await probabilitiesOf(page, SEVEN);
  await page.getByTestId('learn').click();
  await page.waitForFunction(() => /^Step \d+ of 100000/.test(document.querySelector('[data-testid="learn-step"]').textContent));
  await page.getByTestId('cancel-learning').click();
  assert.deepEqual(await state(page), { learning: 'idle', model: 'shipped' });
  assert.equal(await page.getByTestId('learn').isVisible(), true);
  assert.equal(await text(page, 'personal-status'), 'Reading digits with the shipped model.');
  assert.deepEqual(await probabilitiesOf(page, SEVEN), before);
  assert.deepEqual(consoleErrors, []);
});

test('the learning Worker loads the learning module of the kind the page uses (here the fallback without SIMD)', async () => {
  const { page, context, consoleErrors } = await openTeachPage({ query: '?simd=0&learn-steps=2' });
  assert.equal(await page.evaluate(() => document.body.dataset.engine), 'scalar');
  await teachWithButton(page, SEVEN, 7, 1);
  const modules = [];
  // The page's and its Worker's requests; the service worker's copy of every file for offline use is not theirs.
  context.on('request', (request) => {
    if (/\/wasm\//.test(request.url()) && !request.serviceWorker()) modules.push(new URL(request.url()).pathname);
  });
  await learn(page);
  assert.ok(modules.length > 0 && modules.every((p) => p.startsWith('/lenet/wasm/scalar/')), modules.join(', '));
  // The Worker's own module (with fine-tuning), not the page's.
  assert.ok(modules.includes('/lenet/wasm/scalar/lenet-learn.wasm'), modules.join(', '));
  assert.equal((await state(page)).model, 'personal');
  assert.deepEqual(consoleErrors, []);
});

for (const [what, url, message] of [
  ['wasm module cannot be downloaded', '**/wasm/simd/lenet-learn.wasm', /lenet-learn\.wasm \(HTTP 404\)\.$/],
  ['script cannot be loaded', '**/js/learn_worker.js', /the learning Worker could not start.*\.$/],
]) {
  test(`a Worker whose ${what}: one sentence, and the page reads digits with the model it had`, async () => {
    const { page } = await openTeachPage();
    await teachWithButton(page, SEVEN, 1, 1);
    await page.route(url, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.getByTestId('learn').click();
    await page.waitForFunction(() => document.body.dataset.learning !== 'running');
    assert.deepEqual(await state(page), { learning: 'error', model: 'shipped' });
    const sentence = await text(page, 'teach-error');
    assert.match(sentence, /^Learning failed, and the page keeps reading digits with the model it had: /);
    assert.match(sentence, message);
    await drawWithMouse(page, ONE);
    assert.equal(await text(page, 'prediction'), '1');
    assert.equal(await text(page, 'examples-count'), '1');
  });
}

test('a damaged personal model and damaged examples in storage: one sentence, the shipped model, the other examples kept', async () => {
  const { page, consoleErrors } = await openTeachPage();
  await page.evaluate(async (drawing) => {
    const store = await import('./js/personal_store.js');
    await store.addExample(3, drawing);
    await store.addExample(12, drawing);  // not a digit: as a damaged record reads
    await store.addExample(3, { ...drawing, penWidth: 0 });  // a drawing the core rejects
    await store.addExample(3, { ...drawing, strokes: [] });  // nothing to learn from
    await store.savePersonalModel({ bytes: new Uint8Array([1, 2, 3, 4]), examples: 2, seconds: 1, from: 'x', active: true });
  }, ONE);
  await page.reload();
  await pageReady(page);
  assert.equal((await state(page)).model, 'shipped');
  assert.match(await text(page, 'teach-error'),
               /^3 examples kept in this browser could not be read and were left out\. Your saved personal model could not be read \(.+\), so the page reads digits with the shipped model\.$/);
  assert.equal(await text(page, 'examples-count'), '1');
  await drawWithMouse(page, ONE);
  assert.equal(await text(page, 'prediction'), '1');
  // Said once: the damaged records are gone.
  await page.reload();
  await pageReady(page);
  assert.equal(await page.getByTestId('teach-error').isVisible(), false);
  assert.equal(await text(page, 'examples-count'), '1');
  assert.deepEqual(consoleErrors, []);
});

test('a browser that keeps no data (no IndexedDB): one sentence, and teaching and learning work for the visit', async () => {
  const { page, consoleErrors } = await openTeachPage({
    beforeLoad: (p) => p.addInitScript(() => { delete globalThis.indexedDB; }),
  });
  assert.match(await text(page, 'teach-error'), /^This browser keeps nothing for this page \(no IndexedDB\), so your examples last until you leave it\./);
  await teachWithButton(page, SEVEN, 7, 1);
  await learn(page);
  assert.equal((await state(page)).model, 'personal');
  assert.deepEqual(consoleErrors, []);
});

test('a phone: the teaching controls fit its width, in the light and dark themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, consoleErrors } = await openTeachPage({
      contextOptions: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, colorScheme },
    });
    await teachWithButton(page, SEVEN, 7, 1);
    await learn(page);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `${colorScheme}: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
    for (const id of ['teach-9', 'learn', 'use-original', 'forget']) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= innerWidth && box.height >= 40, `${colorScheme}: ${id} at ${JSON.stringify(box)}`);
    }
    assert.deepEqual(consoleErrors, []);
    await context.close();
  }
});
