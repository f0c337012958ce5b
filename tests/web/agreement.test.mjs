// One drawing, three engines: the page's SIMD module, its scalar fallback (?simd=0) and the native
// `lenet-train predict` on the JSON that the page's "Save drawing" downloaded. All three must give
// the same ten probabilities within 1e-5.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WEB_ROOT, openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse } from './draw.mjs';
import { LENET_TRAIN, assertClose, assertLenetTrainBuilt } from './native.mjs';
import { SEVEN } from './shapes.mjs';

const MODEL = join(WEB_ROOT, 'models/lenet-web.safetensors');  // the page's default model

let session;
let scratch;
before(async () => {
  session = await startSession();
  scratch = mkdtempSync(join(tmpdir(), 'lenet-web-'));
});
after(async () => {
  await session?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Draws SEVEN on a page opened with `query`; returns the engine, probabilities and the saved JSON.
async function drawAndSave(query) {
  const { page, context, consoleErrors } = await openPage(session, { query });
  try {
    await drawWithMouse(page, SEVEN);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save').click()]);
    assert.match(download.suggestedFilename(), /^lenet-drawing-predicted-7-.*\.json$/);
    const file = join(scratch, `${query ? 'scalar' : 'simd'}.json`);
    await download.saveAs(file);
    assert.deepEqual(consoleErrors, []);
    return {
      engine: await page.evaluate(() => document.body.dataset.engine),
      probabilities: await probabilities(page),
      file,
    };
  } finally {
    await context.close();
  }
}

test('SIMD, scalar and lenet-train predict give the same probabilities for the saved drawing', async () => {
  assertLenetTrainBuilt();
  const simd = await drawAndSave('');
  const scalar = await drawAndSave('?simd=0');
  assert.equal(simd.engine, 'simd');
  assert.equal(scalar.engine, 'scalar');

  // Saved in the format lenet-train reads, and the same drawing in both pages.
  const saved = JSON.parse(readFileSync(simd.file, 'utf8'));
  assert.deepEqual(Object.keys(saved).sort(), ['height', 'penWidth', 'strokes', 'width']);
  assert.equal(saved.strokes.length, SEVEN.strokes.length);
  assert.deepEqual(JSON.parse(readFileSync(scalar.file, 'utf8')), saved);

  assert.equal(simd.probabilities.length, 10);
  assertClose(scalar.probabilities, simd.probabilities, 'scalar vs SIMD');
  const [native] = JSON.parse(execFileSync(LENET_TRAIN, ['predict', '--model', MODEL, '--json', simd.file], { encoding: 'utf8' }));
  assert.equal(native.empty, false);
  assert.equal(native.prediction, 7);
  assertClose(simd.probabilities, native.probabilities, 'SIMD page vs lenet-train');
  assertClose(scalar.probabilities, native.probabilities, 'scalar page vs lenet-train');
});
