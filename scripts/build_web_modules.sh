#!/usr/bin/env bash
# `npm run build:wasm`: builds the page's two WebAssembly modules and copies them where the page
# loads them from:
#   web/wasm/simd/lenet.{mjs,wasm}    preset wasm         (SIMD128)
#   web/wasm/scalar/lenet.{mjs,wasm}  preset wasm-scalar  (fallback for browsers without wasm SIMD)
# Only the module target is built (the wasm preset's test suites are npm test's business), so an
# up-to-date build finishes in seconds; that is also how `npm start` checks that they are fresh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for pair in wasm:simd wasm-scalar:scalar; do
  preset="${pair%%:*}"
  engine="${pair##*:}"
  bash scripts/build.sh "$preset" --target lenet_web
  mkdir -p "web/wasm/$engine"
  for file in lenet.mjs lenet.wasm; do
    # cp -p keeps the build time: a later copy of the same file changes nothing.
    cp -p "build/$preset/wasm_bindings/$file" "web/wasm/$engine/$file"
  done
  printf 'build:wasm: web/wasm/%s/lenet.wasm  %s bytes\n' "$engine" "$(stat -c %s "web/wasm/$engine/lenet.wasm")"
done
node scripts/make_replay_sample.mjs  # web/models/replay-*: the MNIST digits fine-tuning replays
