// "Learn my handwriting" in headless Chromium, timed as a person meets it: 20 examples taught
// through the page (real pointer events and the "It is:" buttons), then Learn with the core's
// default steps. Prints how long learning took (click to the personal model in use, the Worker's
// start-up and the replay download included) and how quickly the pad answers a stroke drawn
// while it learns: for each pointer event of that stroke, the time until the ten bars show the
// new probabilities (the page classifies in the next animation frame, so ~16 ms is the floor).
//   node bench/teach_page.mjs [--repeats 3]
// Needs the page's wasm modules (npm run build:wasm) and build/native's lenet-train (the 20
// examples are MNIST test digits 0-19 traced into strokes by `lenet-train trace`). It fails only
// when something breaks, never on speed.
import { cpus, loadavg } from 'node:os';
import { openPage, startSession } from '../tests/web/browser.mjs';
import { drawWithMouse } from '../tests/web/draw.mjs';
import { ZERO } from '../tests/web/shapes.mjs';
import { tracedTestDigits } from '../tests/web/traced_digits.mjs';

const repeatsFlag = process.argv.indexOf('--repeats');
const REPEATS = repeatsFlag > 0 ? Number(process.argv[repeatsFlag + 1]) : 3;
const EXAMPLES = tracedTestDigits({ count: 20 });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Records, in the page, each pad pointer event's time and each change of the bars.
function instrument() {
  const events = [];
  const updates = [];
  const pad = document.getElementById('pad');
  for (const type of ['pointerdown', 'pointermove'])  // pointerup changes no probability
    pad.addEventListener(type, (e) => events.push(e.timeStamp), { capture: true });
  new MutationObserver(() => updates.push(performance.now()))
    .observe(document.getElementById('bars'), { subtree: true, attributes: true, attributeFilter: ['data-value'] });
  globalThis.__latencies = () => events.map((t) => (updates.find((u) => u >= t) ?? Infinity) - t);
  // When Learn was pressed and when each step's progress arrived: start-up and time per step.
  const steps = [];
  document.getElementById('learn').addEventListener('click', () => { globalThis.__learnClicked = performance.now(); });
  new MutationObserver(() => { if (/^Step /.test(document.getElementById('learn-step').textContent)) steps.push(performance.now()); })
    .observe(document.getElementById('learn-step'), { childList: true, characterData: true, subtree: true });
  globalThis.__stepTimes = () => ({ clicked: globalThis.__learnClicked, steps });
}

async function oneRun(session) {
  const { page, context, consoleErrors } = await openPage(session);
  try {
    await page.waitForFunction(() => document.body.dataset.model !== undefined);
    for (const [i, { label, drawing }] of EXAMPLES.entries()) {
      await page.getByTestId('pad').scrollIntoViewIfNeeded();  // the buttons below may have scrolled it away
      await drawWithMouse(page, drawing);
      await page.getByTestId(`teach-${label}`).click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="examples-count"]').textContent === String(n), i + 1);
    }
    await page.evaluate(instrument);
    await page.getByTestId('learn').click();
    await page.getByTestId('pad').scrollIntoViewIfNeeded();
    await drawWithMouse(page, ZERO);  // one stroke of 41 points
    const stillLearning = await page.evaluate(() => document.body.dataset.learning === 'running');
    await page.waitForFunction(() => document.body.dataset.learning !== 'running', null, { timeout: 120_000 });
    const learning = await page.evaluate(() => document.body.dataset.learning);
    if (learning !== 'done') throw new Error(`learning ended ${learning}: ${await page.getByTestId('teach-error').textContent()}`);
    const status = await page.getByTestId('personal-status').textContent();
    const steps = await page.evaluate(() => document.getElementById('learn-bar').max);
    const latencies = await page.evaluate(() => globalThis.__latencies());
    const { clicked, steps: stepTimes } = await page.evaluate(() => globalThis.__stepTimes());
    const startup = (stepTimes[0] - clicked) / 1000;  // Worker, module, replay download, first step
    const perStep = (stepTimes.at(-1) - stepTimes[0]) / (stepTimes.length - 1);
    if (consoleErrors.length > 0) throw new Error(`console errors: ${consoleErrors.join('; ')}`);
    return { seconds: Number(/learned in ([\d.]+) s/.exec(status)[1]), steps, latencies, stillLearning, startup, perStep };
  } finally {
    await context.close();
  }
}

const session = await startSession();
// The figures depend on what else the machine runs: say how busy it was.
const busy = () => `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
try {
  const runs = [];
  for (let r = 0; r < REPEATS; r++) {
    const run = await oneRun(session);
    runs.push(run);
    const finite = run.latencies.filter(Number.isFinite);
    console.log(`run ${r + 1}: learning_20_examples: ${run.seconds.toFixed(1)} s (${run.steps} steps: ` +
                `${run.startup.toFixed(2)} s to the first step's end, then ${run.perStep.toFixed(0)} ms per step); ` +
                `stroke_during_learning: ${run.latencies.length} pointer events, bars updated after ` +
                `median ${median(finite).toFixed(1)} ms, max ${Math.max(...run.latencies).toFixed(1)} ms` +
                `${run.stillLearning ? '' : ' (learning had ended before the stroke did)'}; ${busy()}`);
  }
  const seconds = runs.map((r) => r.seconds);
  const worst = runs.map((r) => Math.max(...r.latencies));
  console.log(`learning_20_examples: median ${median(seconds).toFixed(1)} s [${Math.min(...seconds).toFixed(1)} .. ${Math.max(...seconds).toFixed(1)}] (budget 5 s)`);
  console.log(`stroke_during_learning_max: median ${median(worst).toFixed(1)} ms [${Math.min(...worst).toFixed(1)} .. ${Math.max(...worst).toFixed(1)}] (budget 50 ms)`);
} finally {
  await session.close();
}
