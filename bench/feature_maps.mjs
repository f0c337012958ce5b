// "Show what each layer sees" must not slow the prediction while it is closed. In headless
// Chromium, for each shipped model, draws a 41-point stroke several times with the view never
// opened, open, and closed again, and prints per animation frame that classified the drawing:
// the page's own "Last inference" (the module's preprocessing + network time) and the time the
// page's frame callback took (drawing the pad, classifying, the bars, and the feature maps when
// open), medians and 90th percentiles, after one warm-up drawing.
//   node bench/feature_maps.mjs [--drawings 5] [--simd 0]
// Needs the page's wasm modules (npm run build:wasm). Prints figures; never fails on speed.
import { cpus, loadavg } from 'node:os';
import { openPage, startSession } from '../tests/web/browser.mjs';
import { drawWithMouse } from '../tests/web/draw.mjs';
import { ZERO } from '../tests/web/shapes.mjs';

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const DRAWINGS = Number(flag('drawings', 5));
const QUERY = flag('simd', '1') === '0' ? '?simd=0' : '';

// Times each call of the page's frame callback (main.js's, the one that runs classifyNow; other
// requestAnimationFrame callbacks, e.g. the test helpers', are not counted) and reads the
// "Last inference" figure it left.
function instrument() {
  const frames = [];
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => {
    if (!String(callback).includes('classifyNow')) return request(callback);
    return request((time) => {
      const start = performance.now();
      callback(time);
      const work = performance.now() - start;
      const inference = Number.parseFloat(document.getElementById('inference-time').textContent);
      if (Number.isFinite(inference)) frames.push({ work, inference });
    });
  };
  globalThis.__takeFrames = () => frames.splice(0);
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
const figures = (values) => values.length === 0 ? 'no frames' : `median ${quantile(values, 0.5).toFixed(2)} ms, p90 ${quantile(values, 0.9).toFixed(2)} ms`;

async function drawSome(page) {
  await page.evaluate(() => globalThis.__takeFrames());
  for (let d = 0; d < DRAWINGS; d++) {
    await page.keyboard.press('Escape');  // clears the pad
    await page.getByTestId('pad').scrollIntoViewIfNeeded();  // the open view may have scrolled it away
    await drawWithMouse(page, ZERO);
  }
  return (await page.evaluate(() => globalThis.__takeFrames()));
}

const toggle = async (page) => {
  await page.locator('#layers summary').click();
  await page.waitForTimeout(200);  // the view's module loads the first time
};

const session = await startSession();
try {
  console.log(`feature maps view, ${QUERY ? 'scalar' : 'SIMD'} engine, ${DRAWINGS} drawings of 41 points per state;` +
              ` load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
  for (const modelIndex of ['0', '1']) {
    const { page, context, consoleErrors } = await openPage(session, { query: QUERY, beforeLoad: (p) => p.addInitScript(instrument) });
    try {
      await page.locator('#model-select').selectOption(modelIndex);
      await page.waitForFunction(() => document.body.dataset.state === 'ready');
      const model = await page.locator('#model-select option:checked').textContent();
      await drawWithMouse(page, ZERO);  // warm-up, not counted (drawSome drops the frames before it)
      const states = [['never opened', await drawSome(page)]];
      await toggle(page);
      states.push(['open', await drawSome(page)]);
      await toggle(page);
      states.push(['closed again', await drawSome(page)]);
      for (const [state, frames] of states) {
        console.log(`${model.padEnd(36)} ${state.padEnd(13)} ${String(frames.length).padStart(4)} frames  ` +
                    `last inference ${figures(frames.map((f) => f.inference))}  ` +
                    `frame work ${figures(frames.map((f) => f.work))}`);
      }
      if (consoleErrors.length > 0) throw new Error(`console errors: ${consoleErrors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
} finally {
  await session.close();
}
