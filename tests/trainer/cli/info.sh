#!/usr/bin/env bash
# CLI tests of `lenet-train info`: a model's summary and metadata, without the machine's paths.
# One scenario per CTest entry: info.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_metadata() {
  # Absolute paths in, none out: a model names its data set and files, nothing of the machine.
  "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 500 --data "$MNIST_DIR/" --out "$PWD/m.safetensors" --report "$PWD/report/" >/dev/null || fail "train failed"
  out=$("$bin" info m.safetensors) || fail "info failed: $out"
  echo "$out"
  ! grep -qF -e "$PWD" -e "$MNIST_DIR" <<<"$out" || fail "the model's metadata holds a path of the machine that trained it: $(grep -F -e "$PWD" -e "$MNIST_DIR" <<<"$out")"
  for line in "  data +mnist" "  out +m.safetensors" "  report +report" "  dataset +mnist" "  test_accuracy +0\.[0-9]{4}" \
              "Total parameters: 331,214, stored as F32 \(1,324,856 bytes\)" "Architecture: input\(1,28,28\) conv\(6,5,same\) .*" \
              "input +input +1x28x28 +0" "conv1 +conv\(6,5,same\) +6x28x28 +156" "fc1 +dense\(200\) +200 +313,800" \
              "Training history \(1 epoch\)" "  +1 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+"; do
    grep -Eq "^$line$" <<<"$out" || fail "info shows no line '$line'"
  done
  "$bin" info --json m.safetensors | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["parameters"] == 331214 == sum(l["parameters"] for l in s["layers"]), s["layers"]
assert s["layers"][0] == {"name": "conv1", "spec": "conv(6,5,same)", "output_shape": [6, 28, 28], "parameters": 156}, s["layers"][0]
assert s["weights_dtype"] == "F32" and s["stored_bytes"] == 331214 * 4 and len(s["tensors"]) == 10
m = s["metadata"]
assert m["train_config"]["data"] == "mnist" and len(m["history"]) == 1 and m["dataset"] == "mnist", m
' || fail "info --json is not the model's summary"
  # The shipped models hold nothing of the machine that trained them either.
  for shipped in "$repo"/web/models/*.safetensors; do
    "$bin" info --json "$shipped" | python3 -c '
import json, sys
m = json.load(sys.stdin)["metadata"]
c = m.get("train_config", {})
paths = {k: c[k] for k in ("data", "out", "report") if "/" in str(c.get(k, ""))}
assert not paths and "/" not in m.get("dataset", ""), paths' || fail "$shipped holds paths of the machine that trained it"
  done
  # A recipe's initialiser (tf-lenet5: TensorFlow 1's truncated normal) is said, and kept in the model.
  out=$("$bin" train --recipe tf-lenet5 --epochs 1 --train-images 2300 --test-images 100 --threads 2 --out t.safetensors 2>&1) || fail "recipe run failed: $out"
  grep -q "adam lr 0.001, truncated-normal weights, batch 64" <<<"$out" || fail "the run does not say how its weights started: $out"
  "$bin" info t.safetensors | grep -Eq "^  init +truncated-normal$" || fail "the model's train_config does not keep its initialiser"
  "$bin" info t.safetensors | grep -Eq "^  learning_rate +0.001$" || fail "info does not show the learning rate as it was given"
}

scenario_bad_input() {
  printf 'not a model' > junk.safetensors
  expect_error "junk.safetensors: header length" "$bin" info junk.safetensors
}

run_scenario
