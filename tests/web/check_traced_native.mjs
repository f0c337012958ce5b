// How well a model recognises traced MNIST test digits natively, through `lenet-train predict`
// (the core's drawing preprocessing, the code the page runs): the figure the browser test's
// ">= 90 %" leans on, measured without a browser.
//   node tests/web/check_traced_native.mjs --model M.safetensors [--count 100] [--first 0]
//        [--trainer build/native/native_trainer/lenet-train] [--min 0.9]
// Prints the accuracy and every miss; exits 1 below --min.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnistTestDrawings } from './mnist_strokes.mjs';

function parseArguments(argv) {
  const args = { model: null, count: 100, first: 0, trainer: 'build/native/native_trainer/lenet-train', min: 0.9 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || argv[i + 1] === undefined) throw new Error(`unknown flag or missing value: ${argv[i]}`);
    const isNumber = ['count', 'first', 'min'].includes(key);
    if (isNumber && !(Number(argv[i + 1]) >= 0)) throw new Error(`${argv[i]} takes a number >= 0, not "${argv[i + 1]}"`);
    args[key] = isNumber ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!args.model) throw new Error('--model FILE.safetensors is required');
  return args;
}

// lenet-train predict --json on one file holding all the drawings: one result per drawing, in order.
function predictNatively(trainer, model, drawings) {
  const dir = mkdtempSync(join(tmpdir(), 'traced-'));
  try {
    const file = join(dir, 'drawings.json');
    writeFileSync(file, JSON.stringify(drawings));
    const output = execFileSync(trainer, ['predict', '--model', model, '--json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return JSON.parse(output).map((r) => (r.empty ? null : r.prediction));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv) {
  const args = parseArguments(argv);
  const items = mnistTestDrawings({ count: args.count, first: args.first });
  const predictions = predictNatively(args.trainer, args.model, items.map((x) => x.drawing));
  const misses = items.flatMap((x, k) => (predictions[k] === x.label ? [] : [`#${x.index}: ${x.label} read as ${predictions[k]}`]));
  const right = items.length - misses.length;
  console.log(`traced MNIST test digits ${args.first}..${args.first + args.count - 1}: ${right}/${items.length} right ` +
              `(${((100 * right) / items.length).toFixed(1)} %) with ${args.model}`);
  for (const miss of misses) console.log(`  ${miss}`);
  return right / items.length >= args.min;
}

try {
  if (!main(process.argv.slice(2))) process.exit(1);
} catch (e) {
  console.error(`check_traced_native: ${e.message}`);
  process.exit(1);
}
