#!/usr/bin/env bash
# Training throughput: one epoch of `lenet` and `lenet5` (SGD lr 0.01 momentum 0.9, batch 128,
# 2 threads, as the dlib peer trains), images/s from lenet-train's own epoch line. With --peer,
# dlib (Debian 19.24 + OpenBLAS's AVX-512 kernels) trains the same lenet in the same run.
# Usage: bench/train.sh [--peer] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
peer=0
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --peer) peer=1 ;;
    --threads) threads="$2"; shift ;;
    *) echo "usage: bench/train.sh [--peer] [--threads N]" >&2; exit 2 ;;
  esac
  shift
done
bash scripts/build.sh native --target lenet-train >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for arch in lenet lenet5; do
  line=$(build/native/native_trainer/lenet-train train --arch "$arch" --epochs 1 --batch-size 128 --optimizer sgd \
           --lr 0.01 --momentum 0.9 --threads "$threads" --val-split 0.0001 --test-images 1000 \
           --out "$out/$arch.safetensors" | grep '^Epoch 1/1')
  ips=$(sed -n 's/.* - \([0-9]*\) img\/s$/\1/p' <<<"$line")
  printf 'ours %-7s %s threads: %6s images/s   (%s)\n' "$arch" "$threads" "$ips" "$line"
done
if [ "$peer" = 1 ]; then
  echo "peer: dlib, lenet, OpenBLAS SkylakeX kernels, 2 threads (../shared/peers/dlib/run_dlib.sh)"
  bash "$root/../shared/peers/dlib/run_dlib.sh" openblas-skylakex 1 100 | grep -E 'images|epoch|accuracy' || true
fi
