// Runs one learning session in a fresh Worker (js/learn_worker.js) and hands back what it posts.
// startLearning(job, onProgress) -> { result, cancel }
//   job:        what learn_worker.js takes ({ kind, model, examples, options })
//   onProgress: ({ step, steps, loss }) after each step
//   result:     resolves to { bytes, steps, loss, seconds } (seconds: from start to done, the
//               module's start-up and the replay download included), or to null once cancel()
//               was called; rejects with an Error of one sentence when the Worker fails.

const FAILED = 'Learning failed, and the page keeps reading digits with the model it had';

export function startLearning(job, onProgress) {
  const started = performance.now();
  let worker;
  let settle = null;
  const result = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  const finish = (how, value) => {
    if (!settle) return;
    const s = settle;
    settle = null;
    worker?.terminate();
    s[how](value);
  };
  try {
    worker = new Worker(new URL('./learn_worker.js', import.meta.url), { type: 'module' });
  } catch (error) {
    finish('reject', new Error(`${FAILED}: this browser could not start its Worker (${error.message}).`));
    return { result, cancel() {} };
  }
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') onProgress(data);
    else if (data.type === 'done') finish('resolve', { ...data, seconds: (performance.now() - started) / 1000 });
    else finish('reject', new Error(`${FAILED}: ${data.message.replace(/\.$/, '')}.`));
  };
  // The Worker's script (or a module it imports) did not load or threw before it could answer.
  worker.onerror = (event) => {
    event.preventDefault();
    finish('reject', new Error(`${FAILED}: the learning Worker could not start${event.message ? ` (${event.message})` : ''}.`));
  };
  worker.onmessageerror = () => finish('reject', new Error(`${FAILED}: the learning Worker sent a message that could not be read.`));
  // The examples and model go as copies; the page keeps its own.
  worker.postMessage(job);
  return { result, cancel: () => finish('resolve', null) };
}
