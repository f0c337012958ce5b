// When the network is unsure the page names the runner-up too ("7, or perhaps 1"), and only then.
// A 1 whose flag flattens step by step into a 7's bar: the test bisects the flag's angle between a
// drawing the page reads as 1 and one it reads as 7 until it finds the drawing the network is torn
// over, whatever the model, and checks what the page shows for each drawing it tried.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, probabilities, startSession } from './browser.mjs';
import { drawWithMouse } from './draw.mjs';
import { TEST_CANVAS } from './shapes.mjs';


// A stem and a flag from its top, the flag `angle` degrees below the horizontal: steep, a 1; flat, a 7.
function oneOrSeven(angle) {
  const top = [170, 50], bottom = [150, 235], flag = 110;
  const a = (angle * Math.PI) / 180;
  const end = [Math.round(top[0] - flag * Math.cos(a)), Math.round(top[1] + flag * Math.sin(a))];
  return { ...TEST_CANVAS, strokes: [[end, top, bottom]] };
}

function topTwo(p) {
  const order = p.map((v, c) => [v, c]).sort((x, y) => y[0] - x[0]);
  return [order[0][1], order[1][1]];
}

let session;
let page;
let consoleErrors;
let UNSURE_BELOW;  // the page's own threshold, from the module it runs
before(async () => {
  session = await startSession();
  ({ page, consoleErrors } = await openPage(session));
  UNSURE_BELOW = await page.evaluate(() => import('./js/results_view.js').then((m) => m.UNSURE_BELOW));
  assert.ok(UNSURE_BELOW > 0 && UNSURE_BELOW < 1, `threshold ${UNSURE_BELOW}`);
});
after(async () => { await session?.close(); });

// Draws the flag at `angle`, checks the page's verdict against its own probabilities, and returns them.
async function look(angle) {
  await page.keyboard.press('Escape');  // clears the pad (the Clear button is disabled when it is empty)
  await drawWithMouse(page, oneOrSeven(angle));
  const p = await probabilities(page);
  const [first, second] = topTwo(p);
  const runnerUp = page.getByTestId('runner-up');
  assert.equal(await page.getByTestId('prediction').textContent(), String(first));
  if (p[first] < UNSURE_BELOW) {
    assert.equal(await runnerUp.isVisible(), true, `top ${p[first]} < ${UNSURE_BELOW}: the runner-up must show`);
    assert.equal(await runnerUp.textContent(), `${first}, or perhaps ${second}`);
    assert.match(await page.locator('#confidence').textContent(), /^Not sure: \d+\.\d %$/);
  } else {
    assert.equal(await runnerUp.isVisible(), false, `top ${p[first]} >= ${UNSURE_BELOW}: no runner-up`);
    assert.match(await page.locator('#confidence').textContent(), /^\d+\.\d % sure$/);
  }
  return { angle, p, first, second };
}

test('a drawing halfway between 1 and 7 shows "1, or perhaps 7" (or the reverse); clear ones show one digit', { timeout: 120_000 }, async () => {
  let steep = await look(80);
  let flat = await look(5);
  assert.equal(steep.first, 1, `a stem with a steep flag should read as 1: ${steep.p}`);
  assert.equal(flat.first, 7, `a stem with a flat bar should read as 7: ${flat.p}`);
  let torn = steep.p[1] < flat.p[7] ? steep : flat;
  for (let step = 0; step < 8; step++) {
    const middle = await look((steep.angle + flat.angle) / 2);
    if (middle.first === 1) steep = middle; else flat = middle;
    if (middle.p[middle.first] < torn.p[torn.first]) torn = middle;
  }
  assert.ok(torn.p[torn.first] < UNSURE_BELOW, `no drawing between 1 and 7 left the network unsure: best ${torn.p[torn.first]} at ${torn.angle} degrees`);
  assert.deepEqual([torn.first, torn.second].sort(), [1, 7], `the network was torn between ${torn.first} and ${torn.second}`);
  assert.deepEqual(consoleErrors, []);
});
