// Loads the recognition module: the SIMD128 build where the browser supports WebAssembly SIMD,
// the scalar fallback elsewhere (or when the page is opened with ?simd=0, for tests).

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
  // The page fetches the .wasm itself (the preload already started it), so that a missing or
  // broken file is named in one sentence instead of Emscripten's abort text.
  const wasm = fetch(wasmUrl, { credentials: 'same-origin' });
  wasm.catch(() => {});  // awaited below; a network error must not surface as unhandled first
  let createModule;
  try {
    ({ default: createModule } = await import(url.href));
  } catch (error) {
    throw new Error(`Could not load the recognition module ${url.pathname} (${error.message}).`);
  }
  let response;
  try {
    response = await wasm;
  } catch (error) {
    throw new Error(`Could not download the recognition module ${wasmUrl.pathname} (${error.message}).`);
  }
  if (!response.ok)
    throw new Error(`Could not download the recognition module ${wasmUrl.pathname} (HTTP ${response.status}).`);
  try {
    return { kind, module: await instantiate(createModule, response) };
  } catch (error) {
    throw new Error(`Could not start the recognition module ${wasmUrl.pathname} (${error.message ?? error}).`);
  }
}

// Emscripten's factory, instantiating the module from our response (compiled while it streams in
// where the server labels it application/wasm); rejects if compiling or instantiating fails.
function instantiate(createModule, response) {
  return new Promise((resolve, reject) => {
    const compile = (imports) =>
      (response.headers.get('Content-Type') === 'application/wasm'
        ? WebAssembly.instantiateStreaming(response, imports)
        : response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)));
    createModule({
      instantiateWasm(imports, receive) {
        compile(imports).then(({ instance, module }) => receive(instance, module), reject);
        return {};  // exports come later, through receive
      },
    }).then(resolve, reject);
  });
}
