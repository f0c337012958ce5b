// The page in headless Chromium, next to the browser peers (TF.js wasm, onnxruntime-web) in the
// same run. The page is served as GitHub Pages serves it: static files under a subpath, no
// COOP/COEP headers, so it is not cross-origin isolated and performance.now() is coarse (100 us
// in Chromium): per-call figures are the time of a whole loop divided by its length.
//
//   node bench/browser_bench.mjs --lenet-model FILE [--repeats 3] [--no-peers] [--peers-dir DIR]
//                                [--singles 1000] [--warmup 300]
// bench/browser.sh prepares what this needs (the random-weight `lenet`, the peers' copy) and
// runs it. Each repeat runs ours, then the peers' own harness once (their warm-up is fixed at 300
// calls). Every repeat is a fresh Chromium profile (cold HTTP and wasm code caches). Figures
// print as `name: value unit` lines (the peers' format), then a summary (median [min .. max])
// and the comparison table. It fails only when something breaks, never on speed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { ONE, SEVEN, ZERO } from '../tests/web/shapes.mjs';

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const BASE_PATH = '/lenet/';
// The peers' flags (js/browser_bench.js), so both sides run the same browser the same way.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BENCH_LENET_FILE = 'bench-lenet.safetensors';  // the random-weight `lenet`, served beside the shipped models

const DEFINITIONS = `\
Definitions (ours):
  ready                      navigation start -> body[data-state] becomes "ready" (module and default
                             model downloaded, compiled and loaded), performance.now() in the page
  first_classification       the page's own time for its first classification (strokes -> 28x28 ->
                             network) after one mouse stroke, as the module times it (100 us steps here)
  nav_to_first_prediction    ready + first_classification: the moment a prediction exists had the page
                             classified as soon as it was ready; the peers' load_to_first_prediction
                             (navigation start -> runtime + model loaded -> one prediction done)
  html_response_start .. model_loaded   where the time to ready goes, in order: the HTML's first byte,
                             the module's and the model's last byte (Resource Timing), the module compiled
                             (index.html's early script), DOMContentLoaded, main.js running, the module
                             instantiated, the default model loaded into it (the page's performance marks)
  stroke_to_visible          first pointerdown on the pad -> the predicted digit is in the DOM (includes
                             waiting for the next animation frame, as the page classifies once per frame)
  *.single_latency_mean      mean of N calls after W warm-up calls (loop time / N), a fresh module
                             instance in the page; classifyPixels = the network alone on a 28x28 input
                             (the peers' inputs), classify = a drawing's strokes (what the page does per frame)
  download_*                 bytes per distinct URL requested until the first prediction
                             (requestfinished sizes), gzip -9 computed from the files served`;

function parseArguments(argv) {
  const options = { repeats: 3, peers: true, peersDir: '/tmp/lenet-peers/browser-harness', singles: 1000, warmup: 300, lenetModel: null };
  const usage = 'usage: browser_bench.mjs --lenet-model FILE [--repeats N] [--no-peers] [--peers-dir DIR] [--singles N] [--warmup N]';
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = () => {
      if (!/^\d+$/.test(value ?? '') || Number(value) < 1) throw new Error(`${flag} needs a positive integer; ${usage}`);
      i++;
      return Number(value);
    };
    if (flag === '--no-peers') options.peers = false;
    else if (flag === '--repeats') options.repeats = number();
    else if (flag === '--singles') options.singles = number();
    else if (flag === '--warmup') options.warmup = number();
    else if (flag === '--peers-dir' && value) { options.peersDir = value; i++; }
    else if (flag === '--lenet-model' && value) { options.lenetModel = value; i++; }
    else throw new Error(`unknown or incomplete option '${flag}'; ${usage}`);
  }
  if (!options.lenetModel || !existsSync(options.lenetModel))
    throw new Error(`--lenet-model must name an existing lenet .safetensors file (bench/browser.sh makes one); ${usage}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Figures: every measurement is recorded once per repeat and summarised at the end.

const figures = new Map();  // name -> { unit, values }

function record(name, value, unit) {
  if (!figures.has(name)) figures.set(name, { unit, values: [] });
  figures.get(name).values.push(value);
  console.log(`${name}: ${format(value, unit)} ${unit}`);
}

function format(value, unit) {
  if (typeof value !== 'number') return String(value);
  if (unit === 'bytes') return String(Math.round(value));
  return value.toFixed(unit === 'ms' && value < 10 ? 4 : 1);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function medianOf(name) {
  const figure = figures.get(name);
  return figure ? median(figure.values) : null;
}

function printSummary() {
  console.log('\n## ours, summary: median [min .. max, n]');
  for (const [name, { unit, values }] of figures) {
    if (typeof values[0] !== 'number') continue;
    const range = values.length > 1 ? `  [${format(Math.min(...values), unit)} .. ${format(Math.max(...values), unit)}, n=${values.length}]` : '';
    console.log(`${name}: ${format(median(values), unit)} ${unit}${range}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The sites. "default" is web/ as it ships (lenet-web is the default model). "lenet5" is the same
// page with lenet5 first in models/models.json and in index.html's early downloads (the peers'
// lenet5 comparison) and the random
// `lenet` beside the models for the timing runs: a folder of links to web/, so it is served as
// plain static files too (routing requests through playwright would add its own latency).

function makeLenet5Site(lenetModel) {
  const root = mkdtempSync(join(tmpdir(), 'lenet-bench-site-'));
  for (const entry of readdirSync(WEB_ROOT))
    if (entry !== 'models' && entry !== 'index.html') symlinkSync(join(WEB_ROOT, entry), join(root, entry));
  mkdirSync(join(root, 'models'));
  for (const entry of readdirSync(join(WEB_ROOT, 'models')))
    if (entry !== 'models.json') symlinkSync(join(WEB_ROOT, 'models', entry), join(root, 'models', entry));
  symlinkSync(lenetModel, join(root, 'models', BENCH_LENET_FILE));
  const list = JSON.parse(readFileSync(join(WEB_ROOT, 'models', 'models.json'), 'utf8')).models;
  const lenet5First = [...list.filter((m) => m.file === 'lenet5.safetensors'), ...list.filter((m) => m.file !== 'lenet5.safetensors')];
  if (lenet5First[0]?.file !== 'lenet5.safetensors') throw new Error('web/models/models.json does not list lenet5.safetensors');
  writeFileSync(join(root, 'models', 'models.json'), `${JSON.stringify({ models: lenet5First }, null, 2)}\n`);
  // index.html's early script downloads the default model: lenet5 here, so that only it is counted.
  const html = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
  const shipped = `'models/${list[0].file}'`;
  if (!html.includes(shipped)) throw new Error(`web/index.html does not start the download of ${shipped}`);
  writeFileSync(join(root, 'index.html'), html.replaceAll(shipped, "'models/lenet5.safetensors'"));
  return root;
}

async function startSites(lenetModel) {
  const lenet5Root = makeLenet5Site(lenetModel);
  const sites = {
    default: { root: WEB_ROOT, ...(await startServer({ root: WEB_ROOT, port: 0, base: BASE_PATH })) },
    lenet5: { root: lenet5Root, ...(await startServer({ root: lenet5Root, port: 0, base: BASE_PATH })) },
  };
  const close = async () => {
    for (const site of Object.values(sites)) await new Promise((resolve) => site.server.close(resolve));
    rmSync(lenet5Root, { recursive: true, force: true });
  };
  return { sites, close };
}

// A fresh profile per call: cold HTTP cache and cold wasm code cache, as for a first visit.
async function withFreshBrowser(use) {
  const profile = mkdtempSync(join(tmpdir(), 'lenet-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const result = await use(page);
    if (errors.length) throw new Error(`the page reported errors: ${errors.join(' | ')}`);
    return result;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Navigation to first prediction, and the bytes downloaded until then.

// Runs in the page before its own scripts: timestamps (performance.now(), whose origin is the
// navigation start) of the moments the page itself does not report.
function recordPageMoments() {
  const moments = { ready: null, pointerDown: null, predictionShown: null, firstInference: null };
  window.__benchMoments = moments;
  addEventListener('pointerdown', () => { moments.pointerDown ??= performance.now(); }, { capture: true });
  new MutationObserver(() => {
    const now = performance.now();
    if (moments.ready === null && document.body?.dataset.state === 'ready') moments.ready = now;
    const digit = document.getElementById('prediction')?.textContent;
    if (moments.ready !== null && moments.predictionShown === null && digit) {
      moments.predictionShown = now;
      // The page writes its classification time ("0.40 ms") in the same task as the digit.
      moments.firstInference = Number.parseFloat(document.getElementById('inference-time').textContent);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
}

// One mouse stroke across the pad: a 1 the page cannot read as empty.
async function drawOneStroke(page) {
  const box = await page.getByTestId('pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const at = (x, y) => [box.x + (x / ONE.width) * box.width, box.y + (y / ONE.height) * box.height];
  const [first, ...rest] = ONE.strokes[0];
  await page.mouse.move(...at(...first));
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...at(...point));
  await page.mouse.up();
}

// Runs in the page: where the time to `ready` goes (Navigation and Resource Timing, and the page's
// own performance marks 'lenet:*'; ms since navigation start), so a slow start can be told apart
// from a slow download, a slow compile or a slow model load.
function loadMilestones() {
  const [navigation] = performance.getEntriesByType('navigation');
  const resources = performance.getEntriesByType('resource');
  const end = (suffix) => resources.find((r) => new URL(r.name).pathname.endsWith(suffix))?.responseEnd ?? null;
  const mark = (name) => performance.getEntriesByName(`lenet:${name}`, 'mark')[0]?.startTime ?? null;
  return {
    html_response_start: navigation.responseStart,
    wasm_downloaded: end('/lenet.wasm'),
    model_downloaded: resources.filter((r) => r.name.endsWith('.safetensors')).map((r) => r.responseEnd)[0] ?? null,
    wasm_compiled: mark('wasm-compiled'),
    dom_content_loaded: navigation.domContentLoadedEventEnd,
    main_started: mark('main-started'),
    wasm_instantiated: mark('wasm-instantiated'),
    model_loaded: mark('model-loaded'),
  };
}

function kindOf(path) {
  if (path.startsWith('wasm/')) return 'runtime';
  if (path.startsWith('models/') && path.endsWith('.safetensors')) return 'model';
  return 'page';  // html, css, js, icon, models.json
}

// Bytes per distinct URL: raw as transferred (requestfinished), gzip -9 of the file served.
function downloadSizes(site, transfers) {
  const sizes = {};
  for (const kind of ['page', 'runtime', 'model', 'total']) sizes[kind] = { raw: 0, gzip: 0, files: [] };
  const seen = new Set();
  for (const { url, bytes } of transfers) {
    if (seen.has(url)) continue;
    seen.add(url);
    const path = decodeURIComponent(new URL(url).pathname).slice(BASE_PATH.length) || 'index.html';
    const file = join(site.root, path.endsWith('/') ? `${path}index.html` : path);
    const gzip = gzipSync(readFileSync(file), { level: 9 }).length;
    for (const kind of [kindOf(path), 'total']) {
      sizes[kind].raw += bytes;
      sizes[kind].gzip += gzip;
      sizes[kind].files.push(path);
    }
  }
  return sizes;
}

async function navigationRun(site) {
  return withFreshBrowser(async (page) => {
    const transfers = [];
    const failed = [];  // a 404 would be counted as bytes the page needs: report it instead
    page.on('requestfinished', async (request) => {
      const [sizes, response] = await Promise.all([request.sizes().catch(() => null), request.response().catch(() => null)]);
      if (response?.status() !== 200) failed.push(`${request.url()} (HTTP ${response?.status()})`);
      else if (sizes) transfers.push({ url: request.url(), bytes: sizes.responseBodySize });
    });
    await page.addInitScript(recordPageMoments);
    await page.goto(site.url);
    await page.waitForFunction(() => window.__benchMoments.ready !== null, null, { timeout: 60000 });
    await drawOneStroke(page);
    await page.waitForFunction(() => window.__benchMoments.predictionShown !== null, null, { timeout: 60000 });
    const moments = await page.evaluate(() => ({ ...window.__benchMoments, isolated: self.crossOriginIsolated, engine: document.body.dataset.engine }));
    const milestones = await page.evaluate(loadMilestones);
    await page.waitForTimeout(200);  // late requestfinished events
    if (moments.engine !== 'simd') throw new Error(`the page chose the ${moments.engine} engine, not simd`);
    if (moments.isolated) throw new Error('the page is cross-origin isolated; the benchmark is for plain static hosting');
    if (failed.length) throw new Error(`requests failed: ${failed.join(', ')}`);
    return { moments, milestones, sizes: downloadSizes(site, transfers) };
  });
}

function recordNavigation(variant, { moments, milestones, sizes }, firstRepeat) {
  const prefix = `ours.page-${variant}`;
  for (const [name, value] of Object.entries(milestones)) record(`${prefix}.${name}`, value, 'ms');
  record(`${prefix}.ready`, moments.ready, 'ms');
  record(`${prefix}.first_classification`, moments.firstInference, 'ms');
  record(`${prefix}.nav_to_first_prediction`, moments.ready + moments.firstInference, 'ms');
  record(`${prefix}.stroke_to_visible`, moments.predictionShown - moments.pointerDown, 'ms');
  if (!firstRepeat) return;  // the same files every time
  for (const kind of ['page', 'runtime', 'model', 'total']) {
    record(`${prefix}.download_${kind}`, sizes[kind].raw, 'bytes');
    record(`${prefix}.download_${kind}_gzip9`, sizes[kind].gzip, 'bytes');
    console.log(`${prefix}.download_${kind}_files: ${sizes[kind].files.join(' ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// One classification: a fresh module instance inside the (ready) page, the peers' protocol.

// The peers' inputs (js/bench_core.js images(1, seed)): xorshift pixels in [0, 1), seeds 1..4.
function peerImage(seed) {
  let s = seed >>> 0 || 1;
  const image = new Array(784);
  for (let i = 0; i < image.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    image[i] = s / 4294967296;
  }
  return image;
}

// Runs in the page. Times `calls` calls after `warmup` calls; returns the mean and what was timed.
async function timeInPage({ engine, model, method, inputs, warmup, calls }) {
  const { default: createModule } = await import(new URL(`wasm/${engine}/lenet.mjs`, location.href).href);
  const module = await createModule();
  const response = await fetch(new URL(`models/${model}`, location.href));
  if (!response.ok) throw new Error(`models/${model}: HTTP ${response.status}`);
  const info = module.loadModel(new Uint8Array(await response.arrayBuffer()), `models/${model}`);
  const data = method === 'classifyPixels' ? inputs.map((pixels) => Float32Array.from(pixels)) : inputs;
  const classify = method === 'classifyPixels' ? (x) => module.classifyPixels(x) : (x) => module.classify(x);
  for (let i = 0; i < warmup; i++) classify(data[i % data.length]);
  let checksum = 0;  // uses every result, so no call is dead code
  const start = performance.now();
  for (let i = 0; i < calls; i++) checksum += classify(data[i % data.length]).probabilities[i % 10];
  const elapsed = performance.now() - start;
  if (!Number.isFinite(checksum)) throw new Error(`${model}: non-finite probabilities`);
  return { meanMs: elapsed / calls, arch: info.arch, parameters: info.parameters };
}

// What is timed: [engine, model file, name in the output].
const TIMED = [
  ['simd', 'lenet5.safetensors', 'lenet5'],
  ['simd', BENCH_LENET_FILE, 'lenet'],
  ['simd', 'lenet-web.safetensors', 'lenet-web'],
  ['scalar', 'lenet5.safetensors', 'lenet5'],
];

function timerResolutionInPage() {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best;
}

async function timingRun(site, { warmup, singles }, firstRepeat) {
  await withFreshBrowser(async (page) => {
    await page.goto(site.url);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
    if (firstRepeat) {
      console.log(`ours.timer_resolution: ${((await page.evaluate(timerResolutionInPage)) * 1000).toFixed(2)} us`);
      console.log(`ours.crossOriginIsolated: ${await page.evaluate(() => self.crossOriginIsolated)}`);
    }
    const inputs = {
      classifyPixels: [1, 2, 3, 4].map(peerImage),
      classify: [ONE, ZERO, SEVEN],
    };
    for (const [engine, model, name] of TIMED) {
      for (const method of ['classifyPixels', 'classify']) {
        const r = await page.evaluate(timeInPage, { engine, model, method, inputs: inputs[method], warmup, calls: singles });
        if (firstRepeat && method === 'classifyPixels') console.log(`ours.${engine}.${name}.model: ${r.parameters} parameters, ${r.arch}`);
        record(`ours.${engine}.${name}.${method}.single_latency_mean`, r.meanMs, 'ms');
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The peers: their own harness (a copy prepared by bench/browser.sh), not cross-origin isolated,
// one repeat at a time between ours: on a shared, noisy machine both sides then meet the same load.

const peerValues = new Map();  // name -> [numbers], one per repeat

async function runPeersOnce(peersDir, singles) {
  const args = ['js/browser_bench.js', '--isolation', 'off', '--repeats', '1', '--singles', String(singles)];
  console.log(`\n## peers: node ${args.join(' ')}  (in ${peersDir})`);
  const child = spawn('node', args, {
    cwd: peersDir, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (chunk) => { process.stdout.write(chunk); text += chunk; });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the peers' harness exited with status ${code}`);
  const errors = text.split('\n').filter((line) => /\.error: /.test(line));
  if (errors.length) throw new Error(`the peers' harness reported errors:\n${errors.join('\n')}`);
  for (const line of text.split('\n')) {
    const match = /^(chromium\.[\w.-]+): (-?[\d.]+) (ms|bytes)$/.exec(line.trim());
    if (!match) continue;
    if (!peerValues.has(match[1])) peerValues.set(match[1], []);
    peerValues.get(match[1]).push(Number(match[2]));
  }
}

const peerMedian = (name) => (peerValues.has(name) ? median(peerValues.get(name)) : null);

function printPeerSummary() {
  console.log('\n## peers, summary: median [min .. max, n]');
  for (const [name, values] of peerValues) {
    if (!/(single_latency_mean|load_to_first_prediction|gzip9)$/.test(name)) continue;
    const unit = name.endsWith('gzip9') ? 'bytes' : 'ms';
    const range = values.length > 1 ? `  [${format(Math.min(...values), unit)} .. ${format(Math.max(...values), unit)}, n=${values.length}]` : '';
    console.log(`${name}: ${format(median(values), unit)} ${unit}${range}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The comparison table (medians over the repeats).

const KB = 1000;
const ms = (v) => (v === null ? 'n/a' : `${v < 10 ? v.toFixed(3) : v.toFixed(0)} ms`);
const kb = (v) => (v === null ? 'n/a' : `${(v / KB).toFixed(1)} KB`);
const ratio = (peer, ours) => (peer === null || ours === null || ours === 0 ? 'n/a' : `${(peer / ours).toFixed(1)}x`);

function comparisonRows(peer, singles) {
  const mean = `mean of ${singles.toLocaleString('en')}`;
  const p = (runtime, arch, figure) => (peer ? peer(`chromium.${runtime}.iso-off.${arch}.${figure}`) : null);
  const peerBytes = (runtime) => {
    const runtimeBytes = p(runtime, 'lenet5', 'download_runtime_gzip9');
    const modelBytes = p(runtime, 'lenet5', 'download_model_gzip9');
    return runtimeBytes === null || modelBytes === null ? null : runtimeBytes + modelBytes;
  };
  const ours = (name) => medianOf(name);
  const lenet5Runtime = ours('ours.page-lenet5.download_runtime_gzip9');
  const lenet5Model = ours('ours.page-lenet5.download_model_gzip9');
  return [
    [`one lenet5 classification, 28x28 (${mean})`, ms, ours('ours.simd.lenet5.classifyPixels.single_latency_mean'),
      p('tfjs', 'lenet5', 'single_latency_mean'), p('ort', 'lenet5', 'single_latency_mean'), '>= 3x the best peer (SIMD128 ceiling 0.022 ms)'],
    [`one lenet classification, 28x28 (${mean})`, ms, ours('ours.simd.lenet.classifyPixels.single_latency_mean'),
      p('tfjs', 'lenet-pis', 'single_latency_mean'), p('ort', 'lenet-pis', 'single_latency_mean'), '>= 2x the best peer (SIMD128 ceiling 0.34 ms)'],
    ['runtime + lenet5 model, gzip -9', kb, lenet5Runtime === null ? null : lenet5Runtime + lenet5Model,
      peerBytes('tfjs'), peerBytes('ort'), ''],
    ['whole page with lenet5 as default, gzip -9', kb, ours('ours.page-lenet5.download_total_gzip9'), null, null, '<= 300 KB'],
    ['whole page as shipped (lenet-web), gzip -9', kb, ours('ours.page-default.download_total_gzip9'), null, null, '<= 300 KB'],
    ['navigation to first prediction (lenet5)', ms, ours('ours.page-lenet5.nav_to_first_prediction'),
      p('tfjs', 'lenet5', 'load_to_first_prediction'), p('ort', 'lenet5', 'load_to_first_prediction'), '<= 100 ms, >= 4x TF.js'],
    ['navigation to first prediction (lenet-web, shipped)', ms, ours('ours.page-default.nav_to_first_prediction'), null, null, '<= 100 ms'],
  ];
}

function printComparison(peer, singles) {
  console.log('\n## comparison (medians; ratio = peer / ours, how many times faster or smaller ours is)');
  console.log('| figure | ours | TF.js wasm | ORT-web | TF.js / ours | ORT / ours | target |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [figure, unit, ours, tfjs, ort, target] of comparisonRows(peer, singles))
    console.log(`| ${figure} | ${unit(ours)} | ${unit(tfjs)} | ${unit(ort)} | ${ratio(tfjs, ours)} | ${ratio(ort, ours)} | ${target} |`);
  console.log('(ours: SIMD module; the peers time 28x28 inputs too; ours also per drawing: '
    + `lenet5 classify ${ms(medianOf('ours.simd.lenet5.classify.single_latency_mean'))}, `
    + `lenet classify ${ms(medianOf('ours.simd.lenet.classify.single_latency_mean'))})`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArguments(process.argv.slice(2));
  for (const file of ['wasm/simd/lenet.mjs', 'wasm/scalar/lenet.mjs', 'models/lenet5.safetensors'])
    if (!existsSync(join(WEB_ROOT, file))) throw new Error(`web/${file} is missing: run npm run build:wasm first`);
  const probe = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  console.log(`chromium.version: ${probe.version()}`);
  await probe.close();
  console.log(DEFINITIONS);
  const { sites, close } = await startSites(options.lenetModel);
  try {
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      console.log(`\n## ours, repeat ${repeat}/${options.repeats} (page under ${BASE_PATH}, not cross-origin isolated)`);
      // Alternate the order, so that neither variant always meets the browser's first launch.
      const variants = repeat % 2 ? ['default', 'lenet5'] : ['lenet5', 'default'];
      for (const variant of variants) recordNavigation(variant, await navigationRun(sites[variant]), repeat === 1);
      await timingRun(sites.lenet5, options, repeat === 1);
      if (options.peers) await runPeersOnce(options.peersDir, options.singles);
    }
  } finally {
    await close();
  }
  printSummary();
  if (options.peers) printPeerSummary();
  printComparison(options.peers ? peerMedian : null, options.singles);
}

main().then(() => process.exit(0), (error) => {
  console.error(`browser_bench: ${error.message}`);
  process.exit(1);
});
