// The page's two wasm modules under node: loading a model (and rejecting a bad one with the
// core's message), classifying drawings, the empty drawing, and SIMD vs scalar agreement.
// Half-precision models are exported by the native lenet-train (build the native preset first, or
// name another build's binary in LENET_TRAIN), so the one converter in core/ makes them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { LENET_TRAIN, assertLenetTrainBuilt } from './native.mjs';
import { loadNodeModule } from './node_module.mjs';
import { ONE, TEST_CANVAS, ZERO } from './shapes.mjs';

const MODEL_FILE = new URL('../../web/models/lenet5.safetensors', import.meta.url);
const modelBytes = readFileSync(MODEL_FILE);
const WEB_MODEL_FILE = fileURLToPath(new URL('../../web/models/lenet-web.safetensors', import.meta.url));

// The page's default model as `lenet-train export --dtype DTYPE` writes it (made once per dtype).
const exported = new Map();
function exportedWebModel(dtype) {
  if (!exported.has(dtype)) {
    assertLenetTrainBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'lenet-export-'));
    try {
      const out = join(dir, `lenet-web-${dtype}.safetensors`);
      execFileSync(LENET_TRAIN, ['export', '--dtype', dtype, WEB_MODEL_FILE, out], { stdio: 'pipe' });
      exported.set(dtype, readFileSync(out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return exported.get(dtype);
}

for (const engine of ['simd', 'scalar']) {
  describe(`${engine} module`, () => {
    let lenet;
    before(async () => { lenet = await loadNodeModule(engine); });

    test('loads a model and reports its metadata', () => {
      const info = lenet.loadModel(modelBytes, 'models/lenet5.safetensors');
      assert.match(info.arch, /^input\(1,28,28\) conv\(6,5/);
      assert.equal(info.parameters, 61706);
      assert.equal(info.classes, 10);
      assert.ok(Number(info.testAccuracy) > 0.9, `test accuracy ${info.testAccuracy}`);
      assert.equal(info.recipe, 'tf-lenet5');
      assert.equal(info.extra.test_images, '10000');
    });

    test('rejects a bad file with the core\'s one-sentence message, keeping the loaded model', () => {
      lenet.loadModel(modelBytes, 'good.safetensors');
      assert.throws(() => lenet.loadModel(new Uint8Array([1, 2, 3]), 'models/broken.safetensors'),
                    (error) => error instanceof Error && /^models\/broken\.safetensors: /.test(error.message) &&
                               !error.message.includes('\n'));
      const truncated = modelBytes.subarray(0, modelBytes.length - 100);
      assert.throws(() => lenet.loadModel(truncated, 'cut.safetensors'), /^Error: cut\.safetensors: /);
      assert.equal(lenet.classify(ONE).empty, false);  // the good model is still there
    });

    test('classifies drawings: ten probabilities summing to 1, the 28x28 input, the time', () => {
      lenet.loadModel(modelBytes, 'lenet5.safetensors');
      for (const [digit, drawing] of [[1, ONE], [0, ZERO]]) {
        const r = lenet.classify(drawing);
        assert.equal(r.empty, false);
        assert.equal(r.probabilities.length, 10);
        const sum = r.probabilities.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5, `sum ${sum}`);
        assert.equal(r.probabilities.indexOf(Math.max(...r.probabilities)), digit);
        assert.equal(r.input.length, 784);
        assert.ok(r.input.every((v) => v >= 0 && v <= 1) && r.input.some((v) => v > 0.5));
        assert.ok(r.milliseconds >= 0 && r.milliseconds < 1000, `${r.milliseconds} ms`);
      }
    });

    test('classifyPixels runs the network alone on a 28x28 digit: the same as classify on that input', () => {
      lenet.loadModel(modelBytes, 'lenet5.safetensors');
      const drawn = lenet.classify(ZERO);
      const direct = lenet.classifyPixels(drawn.input);
      assert.equal(direct.empty, false);
      for (let c = 0; c < 10; c++) assert.equal(direct.probabilities[c], drawn.probabilities[c]);
      assert.deepEqual(Array.from(direct.input), Array.from(drawn.input));
      assert.throws(() => lenet.classifyPixels(new Float32Array(10)), /needs 784 pixels, got 10/);
    });

    test('loads the default model exported as F16 and BF16: the F32 model\'s top class, probabilities within 1e-2', () => {
      const original = lenet.loadModel(readFileSync(WEB_MODEL_FILE), 'lenet-web.safetensors');
      const expected = [ONE, ZERO].map((drawing) => lenet.classify(drawing).probabilities);
      for (const dtype of ['f16', 'bf16']) {
        const bytes = exportedWebModel(dtype);
        const info = lenet.loadModel(bytes, `lenet-web-${dtype}.safetensors`);
        assert.equal(info.arch, original.arch);
        assert.equal(info.weightsDtype, dtype.toUpperCase());
        assert.equal(info.extra.dtype, undefined);  // a fact about the file, not kept as metadata
        [ONE, ZERO].forEach((drawing, i) => {
          const p = lenet.classify(drawing).probabilities;
          const want = expected[i];
          assert.equal(p.indexOf(Math.max(...p)), want.indexOf(Math.max(...want)), `${dtype}: top class`);
          for (let c = 0; c < 10; c++)
            assert.ok(Math.abs(p[c] - want[c]) <= 1e-2, `${dtype}, drawing ${i}, class ${c}: ${p[c]} vs ${want[c]}`);
        });
      }
    });

    test('an empty drawing is reported empty, without probabilities', () => {
      const r = lenet.classify({ ...TEST_CANVAS, strokes: [] });
      assert.equal(r.empty, true);
      assert.equal(r.probabilities, null);
      assert.ok(r.input.every((v) => v === 0));
    });

    test('a drawing the core rejects throws its message', () => {
      assert.throws(() => lenet.classify({ ...TEST_CANVAS, penWidth: 0, strokes: [] }),
                    { message: 'drawing: penWidth must be a finite number > 0' });
      assert.throws(() => lenet.classify({ ...TEST_CANVAS, strokes: [[[1, NaN]]] }),
                    { message: 'drawing: stroke 0, point 0 is not a pair of finite numbers' });
    });

    // The page's store keeps only the examples this accepts (web/js/personal_store.js).
    test('checkDrawing: the core judges a drawing to learn from, in its words', () => {
      lenet.checkDrawing(ONE);
      lenet.checkDrawing({ ...ONE, width: 0, height: 0 });  // sizes >= 0: the core reads ink, not the canvas
      lenet.checkDrawing({ ...ONE, strokes: [[], ...ONE.strokes] });  // an empty stroke among others
      for (const [drawing, message] of [
        [{ ...ONE, penWidth: 0 }, 'drawing: penWidth must be a finite number > 0'],
        [{ ...ONE, penWidth: undefined }, 'drawing: penWidth must be a finite number > 0'],
        [{ ...ONE, width: -1 }, 'drawing: width and height must be finite numbers >= 0'],
        [{ ...ONE, height: 1e39 }, 'drawing: width and height must be finite numbers >= 0'],  // no float holds it
        [{ ...ONE, strokes: [[[1, NaN]]] }, 'drawing: stroke 0, point 0 is not a pair of finite numbers'],
        [{ ...ONE, strokes: [[[1]]] }, 'drawing: stroke 0, point 0 is not a pair of finite numbers'],
        [{ ...ONE, strokes: [] }, 'drawing: it has no ink'],
      ]) assert.throws(() => lenet.checkDrawing(drawing), { message }, JSON.stringify(drawing));
      assert.throws(() => lenet.checkDrawing(null), TypeError);
    });
  });
}

test('the SIMD and scalar modules agree within 1e-5', async () => {
  const [simd, scalar] = await Promise.all([loadNodeModule('simd'), loadNodeModule('scalar')]);
  for (const lenet of [simd, scalar]) lenet.loadModel(modelBytes, 'lenet5.safetensors');
  for (const drawing of [ONE, ZERO]) {
    const a = simd.classify(drawing).probabilities;
    const b = scalar.classify(drawing).probabilities;
    for (let c = 0; c < 10; c++) assert.ok(Math.abs(a[c] - b[c]) <= 1e-5, `class ${c}: ${a[c]} vs ${b[c]}`);
  }
});
