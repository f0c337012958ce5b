// "Show what each layer sees": module.featureMaps() under node (one entry per conv and pool layer
// of each shipped model, shaped as its spec says; an error before any classification), and the
// page's disclosure in Chromium (one tile per channel for both shipped models, tiles that follow
// the drawing, closing, clearing; SIMD and scalar engines).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { openPage, startSession } from './browser.mjs';
import { drawWithMouse, drawWithTouch, settle } from './draw.mjs';
import { loadNodeModule } from './node_module.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';

const model = (name) => readFileSync(new URL(`../../web/models/${name}.safetensors`, import.meta.url));

// [name kind CxHxW] of each conv and pool layer, as the shipped models' specs (core/nn/spec.cpp) give them.
const EXPECTED = {
  'lenet-web': ['conv1 conv 32x28x28', 'pool1 maxpool 32x14x14', 'conv2 conv 64x14x14', 'pool2 maxpool 64x7x7',
    'conv3 conv 64x5x5', 'pool3 maxpool 64x2x2'],
  lenet5: ['conv1 conv 6x28x28', 'pool1 avgpool 6x14x14', 'conv2 conv 16x10x10', 'pool2 avgpool 16x5x5',
    'conv3 conv 120x1x1'],
};
// Waits (animation frames) until check() holds: opening the view loads its module first.
async function until(page, check, what) {
  for (let frame = 0; frame < 120; frame++) {
    if (await check()) return;
    await settle(page);
  }
  assert.fail(what);
}

const describeMap = (m) => `${m.name} ${m.kind} ${m.channels}x${m.height}x${m.width}`;

for (const engine of ['simd', 'scalar']) {
  describe(`featureMaps() in the ${engine} module`, () => {
    let lenet;
    before(async () => { lenet = await loadNodeModule(engine); });

    test('before any classification it says so', () => {
      lenet.loadModel(model('lenet5'), 'models/lenet5.safetensors');
      assert.throws(() => lenet.featureMaps(), { message: 'there are no feature maps before a drawing has been classified' });
    });

    for (const name of Object.keys(EXPECTED)) {
      test(`${name}: one entry per conv and pool layer, shaped as the layer's output`, () => {
        lenet.loadModel(model(name), `models/${name}.safetensors`);
        lenet.classify(SEVEN);
        const maps = lenet.featureMaps();
        assert.deepEqual(maps.map(describeMap), EXPECTED[name]);
        for (const m of maps) {
          assert.ok(m.data instanceof Float32Array);
          assert.equal(m.data.length, m.channels * m.height * m.width);
          assert.ok(m.data.every(Number.isFinite), m.name);
        }
        // The maps follow the last classified drawing, and an empty one has none.
        lenet.classify(ONE);
        assert.notDeepEqual(lenet.featureMaps()[0].data, maps[0].data);
        lenet.classify({ ...SEVEN, strokes: [] });
        assert.deepEqual(lenet.featureMaps(), []);
      });
    }
  });
}

describe('the page\'s "Show what each layer sees"', () => {
  let session;
  before(async () => { session = await startSession(); });
  after(async () => { await session?.close(); });

  // What the open view shows: per layer group, its accessible name, heading and tile count.
  const groups = (page) => page.$$eval('#layers-maps .layer-maps', (sections) => sections.map((s) => ({
    label: s.getAttribute('aria-label'),
    heading: s.querySelector('h3').textContent,
    tiles: s.querySelectorAll('canvas').length,
  })));
  // The grey levels of every tile as one string, to tell whether they changed.
  const pixels = (page) => page.$$eval('#layers-maps canvas', (canvases) => canvases.map((c) =>
    Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0)).join()).join('|'));
  // The open view may have scrolled the pad partly out of the window: draw where it can be reached.
  const draw = async (page, drawing) => {
    await page.getByTestId('pad').scrollIntoViewIfNeeded();
    await drawWithMouse(page, drawing);
  };
  const expectedGroups = (name) => EXPECTED[name].map((line) => {
    const [layer, , shape] = line.split(' ');
    const [c, h, w] = shape.split('x');
    return {
      label: `Layer ${layer}: ${c} feature maps of ${h} by ${w} pixels`,
      heading: `${layer} · ${c} maps ${h}×${w}`,
      tiles: Number(c),
    };
  });

  for (const query of ['', '?simd=0']) {
    test(`tiles for both shipped models, following the drawing; closing and clearing (${query || 'SIMD'})`, async () => {
      const { page, context, consoleErrors } = await openPage(session, { query });
      try {
        const jsBefore = await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/feature_maps_view.js')));
        assert.equal(jsBefore, false, 'the view module loads only when opened');
        await drawWithMouse(page, SEVEN);
        await page.locator('#layers summary').click();
        await page.waitForSelector('#layers-maps .layer-maps');
        assert.deepEqual(await groups(page), expectedGroups('lenet-web'));
        assert.match(await pixels(page), /[1-9]/, 'some tile shows something');

        // Another model: other layers, other channel counts.
        await page.locator('#model-select').selectOption('1');
        await page.waitForFunction(() => document.body.dataset.state === 'ready');
        await settle(page);
        assert.deepEqual(await groups(page), expectedGroups('lenet5'));
        const lenet5Seven = await pixels(page);

        // More ink: the tiles follow the drawing.
        await draw(page, ZERO);
        assert.notEqual(await pixels(page), lenet5Seven, 'the tiles follow the drawing');

        // Closed, the maps stay as they were while drawing goes on; opened again, they catch up.
        await page.locator('#layers summary').click();
        assert.equal(await page.locator('#layers-maps').isVisible(), false);
        const whenClosed = await pixels(page);
        await draw(page, ONE);
        assert.equal(await pixels(page), whenClosed, 'closed, the view does not follow the drawing');
        await page.locator('#layers summary').click();
        await until(page, async () => (await pixels(page)) !== whenClosed,
          'opened again, the tiles show the drawing on the pad');

        await page.getByTestId('clear').click();
        await settle(page);
        assert.deepEqual(await groups(page), []);
        assert.match(await page.locator('#layers-maps').textContent(), /Draw a digit/);
        assert.deepEqual(consoleErrors, []);
      } finally {
        await context.close();
      }
    });
  }

  test('on a phone the tiles wrap: nothing is wider than the screen', async () => {
    const { page, context, consoleErrors } = await openPage(session, {
      contextOptions: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true },
    });
    try {
      await drawWithTouch(page, SEVEN);
      await page.locator('#layers summary').click();
      await page.waitForSelector('#layers-maps .layer-maps');
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: window.innerWidth,
        widest: Math.max(...Array.from(document.querySelectorAll('#layers-maps canvas'), (c) => c.getBoundingClientRect().right)),
      }));
      assert.ok(widths.page <= widths.screen, `the page scrolls sideways: ${widths.page} > ${widths.screen}`);
      assert.ok(widths.widest <= widths.screen, `a tile reaches ${widths.widest} px on a ${widths.screen} px screen`);
      assert.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
  });
});
