// Loads the recognition module: the SIMD128 build where the browser supports WebAssembly SIMD,
// the scalar fallback elsewhere (or when the page is opened with ?simd=0, for tests).

import { download } from './download.js';
import { takeEarly } from './early.js';

// The smallest module that uses a SIMD instruction (v128 i8x16.splat + i8x16.popcnt), as in
// the wasm-feature-detect project: it validates only where wasm SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function wasmSimdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export const ENGINE_NAMES = { simd: 'WebAssembly SIMD128', scalar: 'WebAssembly (no SIMD)' };

// Resolves to { kind: 'simd' | 'scalar', module } where module has loadModel() and classify()
// (wasm_bindings/lenet_api.js). Rejects with a message a person can act on.
// kind: load that module whatever the browser supports (the learning Worker loads the page's).
// name: 'lenet', the page's module, or 'lenet-learn', the learning Worker's (the same plus
// createFinetuner(), kept out of the module the first prediction waits for).
export async function loadEngine({ allowSimd = true, kind: wanted, name = 'lenet' } = {}) {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function')
    throw new Error('This browser cannot run WebAssembly, which the page needs to recognise digits. ' +
                    'Please open it in a current Chrome, Edge, Firefox or Safari.');
  const kind = wanted ?? (allowSimd && wasmSimdSupported() ? 'simd' : 'scalar');
  const url = new URL(`../wasm/${kind}/${name}.mjs`, import.meta.url);
  const wasmUrl = new URL(`../wasm/${kind}/${name}.wasm`, import.meta.url);
  // index.html's script may have compiled it already; if not, the download starts at once. The
  // page fetches the .wasm itself so that a missing or broken file is named in one sentence
  // instead of Emscripten's abort text.
  const wasm = takeEarly(wasmUrl).then((compiled) => compiled ?? download(wasmUrl, 'the recognition module'));
  wasm.catch(() => {});  // awaited below, after the glue: its error must not surface as unhandled first
  const createModule = await importGlue(url);
  performance.mark('lenet:glue-imported');
  const source = await wasm;
  try {
    const module = await instantiate(createModule, source);
    performance.mark('lenet:wasm-instantiated');
    return { kind, module };
  } catch (error) {
    throw new Error(`Could not start the recognition module ${wasmUrl.pathname} (${error.message ?? error}).`);
  }
}

// Emscripten's factory for the module (its JavaScript half).
async function importGlue(url) {
  try {
    const glue = (await takeEarly(url)) ?? (await import(url.href));
    return glue.default;
  } catch (error) {
    throw new Error(`Could not load the recognition module ${url.pathname} (${error.message}).`);
  }
}

// Reads digits with the model in bytes (a .safetensors file) from now on; returns its info
// (wasm_bindings/lenet_api.js). On failure the previous model stays loaded.
export function loadModelInto(module, bytes, source) {
  try {
    return module.loadModel(bytes, source);
  } catch (error) {
    throw new Error(`Could not load the model: ${error.message}`);  // the core's sentence names the file
  }
}

// Emscripten's factory, instantiating the module from what we have: a compiled WebAssembly.Module,
// or a response (compiled while it streams in where the server labels it application/wasm);
// rejects if compiling or instantiating fails.
function instantiate(createModule, source) {
  return new Promise((resolve, reject) => {
    const compile = (imports) => {
      if (source instanceof WebAssembly.Module)
        return WebAssembly.instantiate(source, imports).then((instance) => ({ instance, module: source }));
      if (source.headers.get('Content-Type') === 'application/wasm') return WebAssembly.instantiateStreaming(source, imports);
      return source.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports));
    };
    createModule({
      instantiateWasm(imports, receive) {
        compile(imports).then(({ instance, module }) => receive(instance, module), reject);
        return {};  // exports come later, through receive
      },
    }).then(resolve, reject);
  });
}
