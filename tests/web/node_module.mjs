// Loads one of the page's wasm modules (web/wasm/ENGINE/lenet.mjs) under node, as the browser
// tests' companion: the module's own behaviour is checked here without a browser.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const WASM_DIR = new URL('../../web/wasm/', import.meta.url);

// `name`: lenet (the page's module) or lenet-learn (the learning Worker's, with createFinetuner).
export async function loadNodeModule(engine, name = 'lenet') {
  const dir = new URL(`${engine}/`, WASM_DIR);
  // Emscripten 3.1.6's ES module output still reads __dirname under node (an ES module has none);
  // the wasm bytes are handed over directly, so its value is never used to open a file.
  globalThis.__dirname ??= '.';
  const { default: createModule } = await import(pathToFileURL(new URL(`${name}.mjs`, dir).pathname).href);
  return createModule({ wasmBinary: readFileSync(new URL(`${name}.wasm`, dir)) });
}
