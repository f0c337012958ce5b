// The first prediction's pipeline, imported by index.html's first script while the page is still
// being parsed (a dynamic import runs as soon as it has arrived, not after the document is parsed
// and laid out, as main.js does): the engine is instantiated and the default model loaded into it
// the moment both are there. main.js takes over from these promises and reports what failed.

import { loadEngine, loadModelInto } from './engine.js';
import { fetchModelBytes, fetchModelList } from './models.js';

const allowSimd = new URLSearchParams(location.search).get('simd') !== '0';

// Resolves to { kind, module } (engine.js).
export const engineLoad = loadEngine({ allowSimd });

// Resolves to [{ file, label }, ...], the first being the default (models.js).
export const modelList = fetchModelList();

// The default model, loaded into the engine: resolves to { bytes, source, info }.
export const defaultModel = Promise.all([engineLoad, modelList.then((models) => fetchModelBytes(models[0]))])
  .then(([{ module }, { bytes, source }]) => {
    const info = loadModelInto(module, bytes, source);
    performance.mark('lenet:model-loaded');
    return { bytes, source, info };
  });

// main.js awaits each of them; until then a failure is not "unhandled".
for (const promise of [engineLoad, modelList, defaultModel]) promise.catch(() => {});
