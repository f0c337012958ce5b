#!/usr/bin/env bash
# CLI tests of `lenet-train plausibility`: the not-a-digit rule's measurement.
# One scenario per CTest entry: plausibility.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_measurement() {
  # The rule's measurement, on a few digits: one line per source and per kind of non-digit.
  out=$("$bin" plausibility --model "$repo/web/models/lenet5.safetensors" --data "$MNIST_DIR" --count 30 --per-kind 2) \
    || fail "plausibility failed: $out"
  grep -Eq "^  real digits rejected: MNIST +[0-9.]+ % \([0-9]+/30\), traced and drawn +[0-9.]+ % \([0-9]+/30\)$" <<<"$out" \
    || fail "plausibility did not report the digits: $out"
  grep -Eq "^    cross +[0-9.]+ % \([0-2]/2\)$" <<<"$out" || fail "plausibility did not report the crosses: $out"
  expect_error "--per-kind" "$bin" plausibility --model "$repo/web/models/lenet5.safetensors" --per-kind 0
}

run_scenario
