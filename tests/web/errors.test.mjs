// What a visitor sees when something is missing: a damaged model file, a module that cannot be
// downloaded, a browser without WebAssembly, one without wasm SIMD. Always one clear message
// (or, without SIMD, the fallback engine), never a page that silently does nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, startSession } from './browser.mjs';
import { drawWithMouse } from './draw.mjs';
import { ONE } from './shapes.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const errorText = (page) => page.locator('#error-text').textContent();

test('a damaged default model: the core\'s sentence naming the file, and the next model reads digits', async () => {
  const { page, consoleErrors } = await openPage(session, {
    beforeLoad: (p) => p.route('**/models/lenet-web.safetensors',
                                (route) => route.fulfill({ body: Buffer.from('not a safetensors file') })),
  });
  assert.match(await errorText(page),
               /^Could not load the model: models\/lenet-web\.safetensors: .+ Reading digits with LeNet-5 \(classic, tanh\) instead\.$/);
  assert.equal(await page.locator('#error').isVisible(), true);
  assert.equal(await page.locator('#model-select').inputValue(), '1');
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  assert.deepEqual(consoleErrors, []);
});

test('every model damaged: one sentence about the default, drawing still works, nothing is classified', async () => {
  const { page } = await openPage(session, {
    waitFor: 'error',
    beforeLoad: (p) => p.route('**/models/*.safetensors',
                                (route) => route.fulfill({ body: Buffer.from('not a safetensors file') })),
  });
  assert.match(await errorText(page), /^Could not load the model: models\/lenet-web\.safetensors: .+/);
  assert.equal(await page.locator('#error').isVisible(), true);
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '');
});

test('a module that cannot be downloaded: which file, and why', async () => {
  const { page } = await openPage(session, {
    waitFor: 'error',
    beforeLoad: (p) => p.route('**/wasm/simd/lenet.mjs', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  assert.match(await errorText(page), /^Could not load the recognition module \/lenet\/wasm\/simd\/lenet\.mjs \(.+\)\.$/);
});

test('a model list that is not there', async () => {
  const { page } = await openPage(session, {
    waitFor: 'error',
    beforeLoad: (p) => p.route('**/models/models.json', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  assert.equal(await errorText(page), 'Could not download the list of models /lenet/models/models.json (HTTP 404).');
});

test('a browser without WebAssembly is told so', async () => {
  const { page } = await openPage(session, {
    waitFor: 'error',
    beforeLoad: (p) => p.addInitScript(() => { delete globalThis.WebAssembly; }),
  });
  assert.match(await errorText(page), /^This browser cannot run WebAssembly/);
});

test('a browser without wasm SIMD gets the scalar module', async () => {
  const { page, consoleErrors } = await openPage(session, {
    beforeLoad: (p) => p.addInitScript(() => {
      // Make the feature probe fail as it does where SIMD is unsupported.
      const validate = WebAssembly.validate;
      WebAssembly.validate = (bytes) => (bytes.length < 40 ? false : validate(bytes));
    }),
  });
  assert.equal(await page.evaluate(() => document.body.dataset.engine), 'scalar');
  assert.equal(await page.locator('#engine').textContent(), 'WebAssembly (no SIMD)');
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  assert.deepEqual(consoleErrors, []);
});

test('a strict Content-Security-Policy (no inline scripts): the early start is blocked, the page reads digits all the same', async () => {
  const { page, consoleErrors } = await openPage(session, {
    beforeLoad: (p) => p.route('**/lenet/', async (route) => {
      const response = await route.fetch();
      const policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
    }),
  });
  assert.equal(await page.evaluate(() => typeof self.lenetEarly), 'undefined');
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  // The browser reports the blocked inline script; nothing else may fail.
  assert.deepEqual(consoleErrors.filter((text) => !/inline script violates the following Content Security Policy/.test(text)), []);
  assert.equal(consoleErrors.length, 1);
});
