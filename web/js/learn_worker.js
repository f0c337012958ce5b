// The learning Worker (a module worker): fine-tunes the page's current model on a person's
// examples with the learning module (lenet-learn) of the same kind the page runs, off the main thread, so that drawing and
// predicting stay smooth while it learns. One run per Worker; the page cancels a run by
// terminating it (the page's own model never changes until a run is done).
//   in:  { kind: 'simd' | 'scalar', model: { bytes, source }, examples: [{ drawing, label }], options }
//   out: { type: 'progress', step, steps, loss }  after every optimisation step
//        { type: 'done', bytes, steps, loss }      bytes: the personal model's .safetensors
//        { type: 'error', message }                one sentence; the Worker is then done

import { download } from './download.js';
import { loadEngine } from './engine.js';

// The MNIST replay sample the build writes beside the models: learning mixes these digits in so
// that the model does not forget everyone else's handwriting. Fetched here, when learning starts,
// never before (the page's first prediction must not wait for it).
export const REPLAY_FILES = { images: 'replay-images-idx3-ubyte', labels: 'replay-labels-idx1-ubyte' };

async function fetchBytes(file) {
  const response = await download(new URL(`../models/${file}`, import.meta.url), 'the MNIST replay sample');
  return new Uint8Array(await response.arrayBuffer());
}

async function learn({ kind, model, examples, options }) {
  // Downloaded side by side; the first failure in this order is the one reported.
  const settled = await Promise.allSettled([
    loadEngine({ kind, name: 'lenet-learn' }), fetchBytes(REPLAY_FILES.images), fetchBytes(REPLAY_FILES.labels)]);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const [{ module }, images, labels] = settled.map((s) => s.value);
  module.loadModel(model.bytes, model.source);
  const finetuner = module.createFinetuner(examples, { images, labels }, options);
  try {
    let last = { step: 0, steps: finetuner.steps, loss: NaN };
    while (!finetuner.done) {
      last = finetuner.step();
      postMessage({ type: 'progress', ...last });
    }
    const bytes = finetuner.modelBytes();
    postMessage({ type: 'done', bytes, steps: last.steps, loss: last.loss }, [bytes.buffer]);
  } finally {
    finetuner.dispose();
  }
}

onmessage = (event) => {
  learn(event.data).catch((error) => postMessage({ type: 'error', message: error?.message ?? String(error) }));
};
