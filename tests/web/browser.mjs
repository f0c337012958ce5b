// Shared set-up of the browser tests: Debian's Chromium driven headless by playwright-core, the
// page served by scripts/serve.mjs under a subpath (as on GitHub Pages), and a page opened with
// its console errors collected.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const BASE_PATH = '/lenet/';

// Starts the server and the browser; call close() when done.
export async function startSession() {
  for (const file of ['wasm/simd/lenet.mjs', 'wasm/scalar/lenet.mjs'])
    if (!existsSync(WEB_ROOT + file)) throw new Error(`web/${file} is missing: run npm run build:wasm first`);
  const { server, url } = await startServer({ root: WEB_ROOT, port: 0, base: BASE_PATH });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  return {
    url,
    browser,
    server,  // node's http.Server, e.g. to watch what it serves
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Opens the page (query e.g. '?simd=0') in a fresh context and waits until it is ready.
// consoleErrors collects console errors and uncaught exceptions for the test to check.
// contextOptions go to browser.newContext (viewport, hasTouch, ...); waitFor: 'ready' | 'error'
// | null (do not wait); beforeLoad(page) may route requests or add init scripts.
export async function openPage(session, { query = '', contextOptions = {}, waitFor = 'ready', beforeLoad } = {}) {
  const context = await session.browser.newContext({ acceptDownloads: true, ...contextOptions });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  if (beforeLoad) await beforeLoad(page);
  await page.goto(session.url + query);
  if (waitFor) await page.waitForFunction((state) => document.body.dataset.state === state, waitFor);
  return { page, context, consoleErrors };
}

// The ten probabilities as the page shows them (data-value of each bar), null when empty.
export async function probabilities(page) {
  const values = await page.$$eval('[data-testid^="prob-"]', (rows) => rows.map((row) => row.dataset.value));
  return values.every((v) => v === '') ? null : values.map(Number);
}
