// The learning Worker's module (lenet-learn.mjs) under node, its fine-tuning API: a few
// steps on drawn examples with the MNIST replay sample, the personal model it gives (loadModel
// reads it, its metadata says what it came from), seeded runs alike, bad examples rejected with
// the core's one sentence naming the example, and wasm = native: one step in each module gives
// the weights `lenet-train finetune --steps 1` gives, within 1e-5 (build the native preset first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LENET_TRAIN, MNIST_DIR, TOLERANCE, assertLenetTrainBuilt } from './native.mjs';
import { loadNodeModule } from './node_module.mjs';
import { replaySample } from '../../scripts/make_replay_sample.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';

const MODEL_FILE = new URL('../../web/models/lenet-web.safetensors', import.meta.url);
const modelBytes = readFileSync(MODEL_FILE);
const EXAMPLES = [{ drawing: ONE, label: 1 }, { drawing: SEVEN, label: 7 }, { drawing: ZERO, label: 0 }];

describe('fine-tuning in the module', () => {
  let lenet;
  let replay;
  before(async () => {
    lenet = await loadNodeModule('simd', 'lenet-learn');
    replay = replaySample(MNIST_DIR);
  });

  function finetune(options, examples = EXAMPLES, withReplay = replay) {
    lenet.loadModel(modelBytes, 'models/lenet-web.safetensors');
    const finetuner = lenet.createFinetuner(examples, withReplay, options);
    try {
      const progress = [];
      while (!finetuner.done) progress.push(finetuner.step());
      return { progress, bytes: finetuner.modelBytes(), steps: finetuner.steps };
    } finally {
      finetuner.dispose();
    }
  }

  test('runs its steps, reporting each, and gives a model that loadModel reads', () => {
    const { progress, bytes, steps } = finetune({ seed: 5, steps: 3 });
    assert.equal(steps, 3);
    assert.deepEqual(progress.map((p) => [p.step, p.steps]), [[1, 3], [2, 3], [3, 3]]);
    for (const p of progress) assert.ok(Number.isFinite(p.loss) && p.loss > 0, `loss ${p.loss}`);
    const info = lenet.loadModel(bytes, 'personal model');
    assert.equal(info.weightsDtype, 'F32');
    assert.equal(info.recipe, 'finetune');
    assert.equal(info.extra.finetuned_from, 'models/lenet-web.safetensors');
    assert.equal(info.extra.finetuned_from_recipe, 'web');
    assert.equal(info.extra.finetune_examples, '3');
    assert.equal(info.extra.finetune_examples_per_digit, '0:1 1:1 7:1');
    assert.equal(info.extra.finetune_seed, '5');
    assert.equal(info.extra.finetune_steps, '3');
    const r = lenet.classify(ONE);
    assert.equal(r.probabilities.indexOf(Math.max(...r.probabilities)), 1);
  });

  test('the core\'s defaults apply without options, and a seed gives the same model twice', () => {
    lenet.loadModel(modelBytes, 'models/lenet-web.safetensors');
    const finetuner = lenet.createFinetuner(EXAMPLES, null);
    assert.ok(finetuner.steps > 3 && !finetuner.done);
    finetuner.dispose();
    assert.throws(() => finetuner.step(), /disposed/);
    const a = finetune({ seed: 9, steps: 2 }).bytes;
    assert.deepEqual(finetune({ seed: 9, steps: 2 }).bytes, a);
    assert.notDeepEqual(finetune({ seed: 10, steps: 2 }).bytes, a);
  });

  test('the page\'s own module carries no training code; the Worker\'s classifies as the page\'s does', async () => {
    const page = await loadNodeModule('simd');
    assert.equal(page.createFinetuner, undefined);
    page.loadModel(modelBytes, 'lenet-web.safetensors');
    lenet.loadModel(modelBytes, 'lenet-web.safetensors');
    assert.deepEqual(lenet.classify(SEVEN).probabilities, page.classify(SEVEN).probabilities);
  });

  test('bad examples and replay are rejected with one sentence naming them', () => {
    lenet.loadModel(modelBytes, 'models/lenet-web.safetensors');
    const cases = [
      [[EXAMPLES[0], { drawing: ONE, label: 12 }], replay, /^example 1: label 12 is not a digit 0-9$/],
      [[{ drawing: ONE, label: '7' }], replay, /^example 0: label "7" is not a digit 0-9$/],
      [[{ drawing: ONE }], replay, /^example 0: label undefined is not a digit 0-9$/],
      [[EXAMPLES[0], { drawing: { ...ONE, strokes: [[[1, 2], ['a', 3]]] }, label: 3 }], replay,
        /^example 1: stroke 0, point 1 is not a pair of finite numbers$/],
      [[{ drawing: { ...ONE, strokes: [] }, label: 3 }], replay, /^example 0 has no ink \(an empty drawing\)$/],
      [[{ label: 3 }], replay, /^example 0 has no drawing/],
      [[], replay, /^there are no examples to learn from$/],
      [EXAMPLES, { images: replay.images.subarray(0, 100), labels: replay.labels }, /^replay.images is truncated: /],
    ];
    for (const [examples, withReplay, message] of cases) {
      assert.throws(() => lenet.createFinetuner(examples, withReplay, { seed: 1 }),
                    (error) => error instanceof Error && message.test(error.message) && !error.message.includes('\n'),
                    String(message));
    }
  });
});

// The F32 tensors of a .safetensors file, by name.
function f32Tensors(bytes) {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.readBigUInt64LE(0));
  const header = JSON.parse(view.subarray(8, 8 + headerLength).toString('utf8'));
  const tensors = new Map();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(entry.dtype, 'F32', name);
    const [begin, end] = entry.data_offsets;
    const data = view.subarray(8 + headerLength + begin, 8 + headerLength + end);
    tensors.set(name, new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
  }
  return tensors;
}

// lenet-train finetune's model from EXAMPLES with seed 21 and `steps` (the core's default: null).
function nativeModel(scratch, steps) {
  const examplesFile = join(scratch, 'examples.json');
  writeFileSync(examplesFile, JSON.stringify(EXAMPLES.map((e) => ({ ...e.drawing, label: e.label }))));
  const out = join(scratch, 'personal.safetensors');
  execFileSync(LENET_TRAIN, ['finetune', '--model', fileURLToPath(MODEL_FILE), '--drawings', examplesFile, '--out', out,
                             '--seed', '21', '--data', MNIST_DIR, ...(steps ? ['--steps', String(steps)] : [])],
               { stdio: 'pipe' });
  return f32Tensors(readFileSync(out));
}

// The module's model from the same examples, seed and steps (the core's default: null).
function wasmModel(lenet, replay, steps) {
  lenet.loadModel(modelBytes, 'lenet-web.safetensors');
  const finetuner = lenet.createFinetuner(EXAMPLES, replay, steps ? { seed: 21, steps } : { seed: 21 });
  while (!finetuner.done) finetuner.step();
  const model = f32Tensors(finetuner.modelBytes());
  finetuner.dispose();
  return model;
}

function assertWeightsClose(wasm, native, what) {
  assert.deepEqual([...wasm.keys()].sort(), [...native.keys()].sort());
  let largest = 0;
  for (const [name, values] of wasm) {
    const expected = native.get(name);
    for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i] - expected[i]));
  }
  assert.ok(largest <= TOLERANCE, `${what}: the largest difference from native is ${largest}`);
}

describe('wasm = native', () => {
  let scratch;
  let replay;
  before(() => {
    assertLenetTrainBuilt();
    scratch = mkdtempSync(join(tmpdir(), 'lenet-finetune-'));
    replay = replaySample(MNIST_DIR);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('one fine-tuning step gives the same weights in both modules and natively, within 1e-5', async () => {
    const native = nativeModel(scratch, 1);
    const base = f32Tensors(lenetExportF32());
    let moved = 0;
    for (const [name, values] of native) values.forEach((v, i) => { if (v !== base.get(name)[i]) moved++; });
    assert.ok(moved > 1000, `the step moved only ${moved} weights`);
    for (const engine of ['simd', 'scalar']) assertWeightsClose(wasmModel(await loadNodeModule(engine, 'lenet-learn'), replay, 1), native, engine);
  });

  test('a whole run with the defaults gives the page\'s personal model natively, within 1e-5', async () => {
    assertWeightsClose(wasmModel(await loadNodeModule('simd', 'lenet-learn'), replay, null), nativeModel(scratch, null), 'simd');
  });
});

// The shipped model's weights as F32 (the file stores F16): the step must have moved them.
function lenetExportF32() {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-export-'));
  try {
    const out = join(dir, 'base.safetensors');
    execFileSync(LENET_TRAIN, ['export', '--dtype', 'f32', fileURLToPath(MODEL_FILE), out], { stdio: 'pipe' });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
