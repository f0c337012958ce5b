#!/usr/bin/env bash
# CLI tests of `lenet-train finetune`: the page's learning natively, and refusals.
# One scenario per CTest entry: finetune.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_personal_model() {
  # The page's learning natively, from the shipped model: a personal model that info, eval and
  # eval-drawings read, the same for the same seed, and a bad drawing is one sentence naming it.
  python3 - <<'PY' || fail "could not write the drawings"
import json, math
pen = {"width": 280, "height": 280, "penWidth": 18}
one = dict(pen, strokes=[[[80, 120], [140, 40], [142, 140], [140, 240]]])
zero = dict(pen, strokes=[[[140 + 60 * math.sin(t / 20 * 6.283), 140 - 90 * math.cos(t / 20 * 6.283)] for t in range(21)]])
seven = dict(pen, strokes=[[[70, 50], [210, 50], [120, 240]]])
json.dump([dict(one, label=1), dict(zero, label=0), dict(seven, label=7)], open("mine.json", "w"))
json.dump([dict(one, label=1), dict(one)], open("nolabel.json", "w"))
json.dump([dict(one, label=1), dict(pen, strokes=[3], label=1)], open("malformed.json", "w"))
json.dump([dict(one, label=12)], open("label12.json", "w"))
json.dump([dict(one, label=1), dict(pen, strokes=[], label=4)], open("empty.json", "w"))
json.dump([], open("none.json", "w"))
PY
  steps=$(sized 20 2)
  tune() { "$bin" finetune --model "$repo/web/models/lenet-web.safetensors" --data "$MNIST_DIR" --steps "$steps" "$@"; }
  out=$(tune --drawings mine.json --out p.safetensors --seed 3) || fail "finetune failed: $out"
  echo "$out"
  grep -Eq "^p.safetensors: fine-tuned .*lenet-web.safetensors on 3 drawings \(0:1 1:1 7:1\) in $steps steps" <<<"$out" || fail "finetune does not say what it did: $out"
  tune --drawings mine.json --out again.safetensors --seed 3 >/dev/null || fail "second finetune failed"
  same_weights p.safetensors again.safetensors || fail "the same seed gave different weights"
  tune --drawings mine.json --out other.safetensors --seed 4 >/dev/null || fail "third finetune failed"
  ! same_weights other.safetensors p.safetensors 2>/dev/null || fail "another seed gave the same weights"
  out=$("$bin" info p.safetensors) || fail "info cannot read the personal model: $out"
  for line in "  recipe +finetune" "  finetuned_from +lenet-web.safetensors" "  finetuned_from_recipe +web" \
              "  finetune_examples +3" "  finetune_examples_per_digit +0:1 1:1 7:1" "  finetune_seed +3" \
              "  finetune_steps +$steps" "Total parameters: 91,594, stored as F32 .*"; do
    grep -Eq "^$line$" <<<"$out" || fail "info shows no line '$line': $out"
  done
  out=$("$bin" eval --model p.safetensors --data "$MNIST_DIR" --test-images "$small_test") || fail "eval cannot read the personal model: $out"
  grep -Eq "test accuracy (0\.9[0-9]{3}|1\.0000)" <<<"$out" || fail "the personal model forgot MNIST: $out"
  out=$("$bin" eval-drawings --json --model p.safetensors mine.json) || fail "eval-drawings cannot use the personal model: $out"
  expect_error 'lenet-train: nolabel.json: drawing 1 has no "label"' tune --drawings nolabel.json --out bad.safetensors
  expect_error 'lenet-train: malformed.json: drawing 1: stroke 0 must be a list of [x, y] points' tune --drawings malformed.json --out bad.safetensors
  expect_error 'lenet-train: label12.json: drawing 0: label 12 is not a digit 0-9' tune --drawings label12.json --out bad.safetensors
  expect_error 'lenet-train: empty.json: drawing 1 has no ink (an empty drawing)' tune --drawings empty.json --out bad.safetensors
  expect_error 'lenet-train: none.json holds no drawings (an empty list)' tune --drawings none.json --out bad.safetensors
  [ ! -e bad.safetensors ] || fail "a refused fine-tuning wrote a model"
}

run_scenario
