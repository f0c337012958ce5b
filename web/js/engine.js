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
export async function loadEngine({ allowSimd = true } = {}) {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function')
    throw new Error('This browser cannot run WebAssembly, which the page needs to recognise digits. ' +
                    'Please open it in a current Chrome, Edge, Firefox or Safari.');
  const kind = allowSimd && wasmSimdSupported() ? 'simd' : 'scalar';
  const url = new URL(`../wasm/${kind}/lenet.mjs`, import.meta.url);
  let createModule;
  try {
    ({ default: createModule } = await import(url.href));
  } catch (error) {
    throw new Error(`Could not load the recognition module ${url.pathname} (${error.message}).`);
  }
  try {
    return { kind, module: await createModule() };
  } catch (error) {
    throw new Error(`Could not start the recognition module ${url.pathname} (${error.message ?? error}).`);
  }
}
