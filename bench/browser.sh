#!/usr/bin/env bash
# The page in headless Chromium next to the browser peers (TF.js wasm, onnxruntime-web), in the
# same run: one classification, navigation to first prediction, bytes downloaded.
# Usage: bench/browser.sh [--repeats N] [--no-peers] [--singles N] [--warmup N]
# Prepares what bench/browser_bench.mjs needs, then runs it:
#   - the page's wasm modules (built by npm run build:wasm if missing);
#   - a `lenet` with random weights (not shipped: 5 MB): lenet-train on a few images, which is
#     enough for timing (the speed does not depend on the weights);
#   - the peers: ../shared/peers is read-only, so a copy in /tmp/lenet-peers/browser-harness
#     with its own npm install and model files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch=/tmp/lenet-bench
peers_src="${LENET_PEERS_SRC:-$root/../shared/peers}"  # a worktree under /work/wt/ sets it to /work/shared/peers
peers_dir=/tmp/lenet-peers/browser-harness

with_peers=1
for arg in "$@"; do [ "$arg" = --no-peers ] && with_peers=0; done

bash scripts/setup.sh >/dev/null
[ -f web/wasm/simd/lenet.mjs ] && [ -f web/wasm/scalar/lenet.mjs ] || bash scripts/build_web_modules.sh
bash scripts/build.sh native --target lenet-train >/dev/null

mkdir -p "$scratch"
lenet_model="$scratch/lenet-random.safetensors"
if [ ! -f "$lenet_model" ]; then
  # One epoch on 256 images: barely trained, same shapes and cost as a trained lenet.
  build/native/native_trainer/lenet-train train --arch lenet --epochs 1 --train-images 256 --test-images 100 \
    --val-last 128 --threads 1 --out "$lenet_model" >/dev/null
fi

if [ "$with_peers" = 1 ]; then
  if [ ! -d "$peers_dir/node_modules/onnxruntime-web" ]; then
    rm -rf "$peers_dir"
    mkdir -p "$peers_dir"
    (cd "$peers_src" && tar --exclude=node_modules --exclude=build -cf - .) | tar -xf - -C "$peers_dir"
    chmod -R u+w "$peers_dir"
    (cd "$peers_dir" && npm install --no-audit --no-fund >/dev/null)
  fi
  (cd "$peers_dir" && node js/build_onnx.js >/dev/null && node js/save_tfjs_models.js >/dev/null 2>&1)
fi

node bench/browser_bench.mjs --lenet-model "$lenet_model" --peers-dir "$peers_dir" "$@"
