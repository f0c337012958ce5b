// Offline and installable: after one visit the service worker (web/sw.js) has a complete copy of
// the page, which then loads, draws and predicts with the network gone; the first visit downloads
// no file twice; a new deployment replaces the copy as a whole; Chromium finds the page
// installable; and with service workers blocked the page works as before.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PRECACHE_FILE, precacheList, writePrecache } from '../../scripts/make_precache.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { chromium } from 'playwright-core';
import { BASE_PATH, CHROMIUM, WEB_ROOT, openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse } from './draw.mjs';
import { ONE } from './shapes.mjs';

let session;
let served;  // request path -> [HTTP statuses], for every request the server answered
before(async () => {
  session = await startSession();
  served = new Map();
  session.server.on('request', (request, response) => response.on('finish', () => {
    const path = new URL(request.url, 'http://localhost').pathname.replace(/\/$/, '/index.html');  // one file
    served.set(path, [...(served.get(path) ?? []), response.statusCode]);
  }));
});
after(async () => { await session?.close(); });

const readPrecache = (root) =>
  JSON.parse(readFileSync(join(root, PRECACHE_FILE), 'utf8').replace(/^\/\/.*\n/, '').replace(/^self\.PRECACHE = |;\s*$/g, ''));

// Resolves once check() resolves to something truthy (polled), to that value.
async function until(check, what) {
  const end = Date.now() + 20000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Runs fn in the page until it returns something truthy; the page may be reloading meanwhile.
const eventually = (page, fn, arg, what) => until(() => page.evaluate(fn, arg).catch(() => null), what);

const waitForController = (page) =>
  page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });

const waitForReady = (page) => page.waitForFunction(() => document.body.dataset.state === 'ready');

// In the page: { cacheName: { path: sha256 of the cached body } } for the caches of this page.
function cachedFiles() {
  return (async () => {
    const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
    const base = new URL('./', location.href);
    const out = {};
    for (const name of await caches.keys()) {
      if (!name.startsWith(`lenet-offline ${base.pathname} `)) continue;
      const cache = await caches.open(name);
      out[name] = {};
      for (const request of await cache.keys()) {
        const body = await (await cache.match(request)).arrayBuffer();
        out[name][request.url.slice(base.href.length)] = hex(await crypto.subtle.digest('SHA-256', body));
      }
    }
    return out;
  })();
}

test('web/precache.js lists what is in web/ now', async () => {
  assert.deepEqual(readPrecache(WEB_ROOT), await precacheList(WEB_ROOT),
                   'web/precache.js is stale: run npm run build:wasm (or node scripts/make_precache.mjs)');
  const { files } = readPrecache(WEB_ROOT);
  for (const path of ['index.html', 'sw.js', 'manifest.webmanifest', 'js/main.js', 'wasm/simd/lenet.wasm',
                      'wasm/scalar/lenet.wasm', 'models/models.json', 'models/lenet-web.safetensors'])
    assert.ok(path in files, `${path} is listed`);
  for (const path of Object.keys(files)) assert.doesNotMatch(path, /(^|\/)\.|\.md$|\.tmp$|^precache\.js$/);
});

test('after one visit the page loads, draws and predicts offline, with either module; nothing was downloaded twice', async () => {
  served.clear();
  const { page, context, consoleErrors } = await openPage(session);
  await drawWithMouse(page, ONE);
  const online = await probabilities(page);
  await waitForController(page);

  const twice = [...served].filter(([, statuses]) => statuses.filter((s) => s === 200).length > 1);
  assert.deepEqual(twice, [], 'files the first visit downloaded more than once');
  const { version, files } = readPrecache(WEB_ROOT);
  assert.deepEqual(await page.evaluate(cachedFiles), { [`lenet-offline ${BASE_PATH} ${version}`]: files });

  await context.setOffline(true);
  await page.reload();
  await waitForReady(page);
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  assert.deepEqual(await probabilities(page), online);
  await page.goto(`${session.url}?simd=0`);  // the other module is in the copy too
  await waitForReady(page);
  assert.equal(await page.evaluate(() => document.body.dataset.engine), 'scalar');
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

// Chromium never offers to install from an incognito profile, which a plain context is: this test
// runs its own browser on a profile folder.
test('Chromium finds the page installable: manifest, icons, service worker', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'lenet-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(session.url);
    await waitForReady(page);
    await drawWithMouse(page, ONE);
    await waitForController(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('with service workers blocked the page works as before', async () => {
  const { page, context, consoleErrors } = await openPage(session, { contextOptions: { serviceWorkers: 'block' } });
  await drawWithMouse(page, ONE);
  assert.equal(await page.getByTestId('prediction').textContent(), '1');
  // Offline use is set up a second after the stroke: the manifest is linked, then registering is tried.
  await page.waitForFunction(() => document.querySelector('link[rel="manifest"]') !== null);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('a new deployment with a changed model replaces the offline copy whole, after two reloads', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lenet-offline-'));
  const { server, url } = await startServer({ root, port: 0, base: BASE_PATH });
  try {
    cpSync(WEB_ROOT, root, { recursive: true });
    const first = await writePrecache(root);
    const { page, context, consoleErrors } = await openPage({ ...session, url });
    await drawWithMouse(page, ONE);
    await waitForController(page);
    const oldArchitecture = await page.locator('#model-arch').textContent();
    const oldProbabilities = await probabilities(page);

    // Deployment 2: the default model's file now holds LeNet-5 (another architecture).
    copyFileSync(join(root, 'models/lenet5.safetensors'), join(root, 'models/lenet-web.safetensors'));
    const second = await writePrecache(root);
    assert.notEqual(second.version, first.version);
    const secondCache = `lenet-offline ${BASE_PATH} ${second.version}`;

    // The first reload still shows the first copy; the browser meanwhile finds the new one and
    // installs it, and the page, taken over, reloads itself once.
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations++; });
    await page.reload();
    await eventually(page, async (name) => {
      const names = await caches.keys();
      return names.length === 1 && names[0] === name && navigator.serviceWorker.controller !== null;
    }, secondCache, 'the new copy to replace the old one');
    await until(() => navigations === 2, 'the page to reload itself');
    await eventually(page, () => document.body.dataset.state === 'ready', null, 'the reloaded page');
    const reloadedArchitecture = await page.locator('#model-arch').textContent();
    await page.reload();
    await waitForReady(page);
    await drawWithMouse(page, ONE);

    const fresh = await openPage({ ...session, url }, { contextOptions: { serviceWorkers: 'block' } });
    await drawWithMouse(fresh.page, ONE);
    const newArchitecture = await fresh.page.locator('#model-arch').textContent();
    assert.notEqual(newArchitecture, oldArchitecture);
    assert.equal(reloadedArchitecture, newArchitecture);
    assert.equal(await page.locator('#model-arch').textContent(), newArchitecture);
    assert.deepEqual(await probabilities(page), await probabilities(fresh.page));
    assert.notDeepEqual(await probabilities(page), oldProbabilities);
    assert.deepEqual(await page.evaluate(cachedFiles), { [secondCache]: second.files });
    assert.deepEqual(consoleErrors, []);
    await fresh.context.close();
    await context.close();
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  }
});
