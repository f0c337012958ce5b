// Native and wasm builds of the core must compute the same logits (within 1e-5) for the same
// weights and inputs. Usage: node check_logits.mjs NATIVE_BINARY WASM_JS
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const [nativeBin, wasmJs] = process.argv.slice(2);
for (const f of [nativeBin, wasmJs]) {
  if (!existsSync(f)) {
    console.error(`${f} does not exist: build the native and wasm presets first (npm test does both)`);
    process.exit(1);
  }
}
const parse = (text) => text.trim().split('\n').map((line) => {
  const [preset, index, value] = line.split(' ');
  return { key: `${preset}[${index}]`, value: Number(value) };
});
const native = parse(execFileSync(nativeBin, { encoding: 'utf8' }));
const wasm = parse(execFileSync(process.execPath, ['--no-experimental-fetch', wasmJs], { encoding: 'utf8' }));
if (native.length !== wasm.length || native.length === 0) {
  console.error(`native printed ${native.length} logits, wasm ${wasm.length}`);
  process.exit(1);
}
let worst = { diff: 0, key: '' };
for (let i = 0; i < native.length; i++) {
  if (native[i].key !== wasm[i].key || !Number.isFinite(native[i].value)) {
    console.error(`mismatched output at line ${i}: ${native[i].key} vs ${wasm[i].key}`);
    process.exit(1);
  }
  const diff = Math.abs(native[i].value - wasm[i].value);
  if (!(diff <= worst.diff)) worst = { diff, key: native[i].key };
}
console.log(`${native.length} logits compared; largest |native - wasm| = ${worst.diff.toExponential(2)} at ${worst.key}`);
if (!(worst.diff <= 1e-5)) {
  console.error('FAIL: native and wasm logits differ by more than 1e-5');
  process.exit(1);
}
