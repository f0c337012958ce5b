// With more than one model in models/models.json the page offers a switch; switching loads the
// other file and re-classifies the drawing, and a model that fails to load leaves the previous one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse, settle } from './draw.mjs';
import { SEVEN } from './shapes.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

// A second model: the same network with its output biases shifted, so its probabilities differ.
const MANIFEST = {
  models: [
    { file: 'lenet5.safetensors', label: 'LeNet-5' },
    { file: 'other.safetensors', label: 'Other' },
    { file: 'broken.safetensors', label: 'Broken' },
  ],
};

test('the model switch loads another model; a broken one leaves the current model in place', async () => {
  const { page, consoleErrors } = await openPage(session, {
    beforeLoad: async (p) => {
      await p.route('**/models/models.json', (route) => route.fulfill({ json: MANIFEST }));
      await p.route('**/models/other.safetensors', async (route) => {
        const response = await route.fetch({ url: route.request().url().replace('other', 'lenet5') });
        route.fulfill({ body: shiftLastBias(await response.body()) });
      });
      await p.route('**/models/broken.safetensors', (route) => route.fulfill({ body: Buffer.alloc(16) }));
    },
  });
  const select = page.locator('#model-select');
  assert.equal(await select.isVisible(), true);
  assert.deepEqual(await select.locator('option').allTextContents(), ['LeNet-5', 'Other', 'Broken']);

  await drawWithMouse(page, SEVEN);
  const first = await probabilities(page);
  await select.selectOption('1');
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await settle(page);
  const second = await probabilities(page);
  assert.notDeepEqual(second, first);

  await select.selectOption('2');
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await settle(page);
  assert.match(await page.locator('#error-text').textContent(), /^Could not load the model: models\/broken\.safetensors: /);
  assert.equal(await select.inputValue(), '1');
  assert.deepEqual(await probabilities(page), second);
  assert.deepEqual(consoleErrors, []);
});

// Adds 1 to the first float of fc2.bias in a safetensors file (header: 8-byte length + JSON).
function shiftLastBias(bytes) {
  const out = Buffer.from(bytes);
  const headerLength = Number(out.readBigUInt64LE(0));
  const header = JSON.parse(out.subarray(8, 8 + headerLength).toString('utf8'));
  const offset = 8 + headerLength + header['fc2.bias'].data_offsets[0];
  out.writeFloatLE(out.readFloatLE(offset) + 1, offset);
  return out;
}
