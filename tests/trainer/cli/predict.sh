#!/usr/bin/env bash
# CLI tests of `lenet-train predict`: images and drawings, the default model, the not-a-digit answer, refusals.
# One scenario per CTest entry: predict.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_images_and_drawings() {
  model_that_reads m.safetensors || fail "train failed"
  # MNIST test digits 0-9 as PNG (white on black), as PGM inverted (black on white), and as black
  # ink on a transparent background (grey + alpha, and RGBA, as paint programs export), written
  # with nothing but Python's standard library; plus drawings in the page's JSON format.
  python3 - "$MNIST_DIR/t10k-images-idx3-ubyte" "$MNIST_DIR/t10k-labels-idx1-ubyte" <<'PY' || fail "could not write the test images"
import json, struct, sys, zlib
images = open(sys.argv[1], "rb").read()[16:]
labels = open(sys.argv[2], "rb").read()[8:]
def png(path, colour_type, rows):
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, colour_type, 0, 0, 0))
                          + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for i in range(10):
    img = images[i * 784:(i + 1) * 784]
    rows = [img[r * 28:(r + 1) * 28] for r in range(28)]
    png(f"digit{i}_label{labels[i]}.png", 0, rows)                                                      # grey
    open(f"inverted{i}_label{labels[i]}.pgm", "wb").write(b"P5 28 28 255\n" + bytes(255 - v for v in img))
    png(f"alpha{i}_label{labels[i]}.png", 4, [[v for a in r for v in (0, a)] for r in rows])            # grey + alpha
    png(f"rgba{i}_label{labels[i]}.png", 6, [[v for a in r for v in (0, 0, 0, a)] for r in rows])      # RGBA
one = {"width": 280, "height": 280, "penWidth": 18, "strokes": [[[140, 40], [142, 140], [140, 240]]]}
zero = {"width": 280, "height": 280, "penWidth": 18,
        "strokes": [[[140 + 60 * __import__("math").sin(t / 20 * 6.283), 140 - 90 * __import__("math").cos(t / 20 * 6.283)] for t in range(21)]]}
empty = {"width": 280, "height": 280, "penWidth": 18, "strokes": []}
json.dump(one, open("one.json", "w"))
json.dump([zero, empty], open("zero_and_empty.json", "w"))
PY
  recognised() {  # recognised OUTPUT FILE...: how many files named *_labelN.* predict read as N
    local out="$1" right=0 f label
    shift
    for f in "$@"; do
      label=${f##*_label}; label=${label%%.*}
      grep -q "^$f: $label " <<<"$out" && right=$((right + 1))
    done
    echo "$right"
  }
  out=$("$bin" predict --model m.safetensors digit*.png inverted*.pgm one.json zero_and_empty.json) || fail "predict failed: $out"
  echo "$out"
  right=$(recognised "$out" digit*.png inverted*.pgm)
  [ "$right" -ge 17 ] || fail "only $right of 20 MNIST test images (PNG and inverted PGM) were recognised"
  grep -q "^one.json: 1 " <<<"$out" || fail "the drawn 1 was not recognised"
  grep -q "^zero_and_empty.json#1: 0 " <<<"$out" || fail "the drawn 0 was not recognised"
  grep -q "^zero_and_empty.json#2: empty" <<<"$out" || fail "the empty drawing was not reported as empty"
  js=$("$bin" predict --json --model m.safetensors one.json) || fail "predict --json failed"
  python3 -c 'import json, sys; r = json.loads(sys.argv[1])[0]; p = r["probabilities"]
assert r["prediction"] == 1 and len(p) == 10 and abs(sum(p) - 1) < 1e-5, r' "$js" || fail "bad --json output: $js"
  # Transparency: black ink on a transparent background is a digit, not an empty image.
  out=$("$bin" predict --model m.safetensors alpha*.png rgba*.png) || fail "predict on transparent PNGs failed: $out"
  right=$(recognised "$out" alpha*.png rgba*.png)
  [ "$right" -ge 17 ] || fail "only $right of 20 transparent PNGs were recognised: $out"
  echo "ok: $right of 20 digits in black ink on a transparent background recognised"
  # A drawing the page saved with the digit the person meant ("label") is read as any drawing.
  printf '{"width": 280, "height": 280, "penWidth": 18, "label": 1, "strokes": [[[140, 40], [142, 140], [140, 240]]]}' > labelled.json
  "$bin" predict --model m.safetensors labelled.json | grep -q "^labelled.json: 1 " || fail "a drawing with a label was not read"
  # Without --model: the page's default model, found from the working directory (this checkout).
  out=$("$bin" predict one.json) || fail "predict without --model failed: $out"
  grep -q "^one.json: 1 " <<<"$out" || fail "the page's default model did not read the drawn 1: $out"
  # An X is not a digit: predict says so, as the page does, and --json carries "plausible".
  printf '{"width": 280, "height": 280, "penWidth": 18, "strokes": [[[60, 60], [220, 220]], [[220, 60], [60, 220]]]}' > x.json
  out=$("$bin" predict x.json one.json) || fail "predict failed on an X: $out"
  grep -q "^x.json: That does not look like a digit (the network's reading: " <<<"$out" || fail "an X was read as a digit: $out"
  grep -q "^one.json: 1 " <<<"$out" || fail "the drawn 1 was not read beside the X: $out"
  "$bin" predict --json x.json | python3 -c 'import json, sys; r = json.load(sys.stdin)[0]; assert r["plausible"] is False and len(r["probabilities"]) == 10, r' \
    || fail "predict --json does not say that the X is implausible"
  away=$(mktemp -d)
  cp "$bin" "$away/lenet-train" && cp one.json "$away/"
  (cd "$away" && expect_error "no --model given, and the page's models (web/models/models.json) were not found from here" ./lenet-train predict one.json) || fail "a lone binary found a model"
  rm -rf "$away"
  printf '{"width": 10, "height": 10, "penWidth": 0, "strokes": []}' > bad.json
  expect_error "bad.json" "$bin" predict --model m.safetensors bad.json
  printf 'GIF89a garbage' > broken.png
  expect_error "broken.png: cannot read it as an image" "$bin" predict --model m.safetensors broken.png
  printf '[]' > none.json
  expect_error "none.json holds no drawings (an empty list)" "$bin" predict --model "$repo/web/models/lenet-web.safetensors" none.json
}

run_scenario
