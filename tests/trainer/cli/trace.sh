#!/usr/bin/env bash
# CLI tests of `lenet-train trace`: MNIST test digits traced into strokes, and the held-out styles.
# One scenario per CTest entry: trace.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_traced_digits() {
  # MNIST test digits traced into strokes by the core and redrawn by the page's preprocessing: the
  # page's default model reads at least 97 % of all 10,000 (the first 500 under the sanitizers),
  # and a drawing is a pure function of its digit (the same digit, picked by any --first/--count,
  # is drawn the same way).
  model="$repo/web/models/lenet-web.safetensors"
  n=$(sized 10000 500)
  out=$("$bin" trace $(sanitized && echo --count $n) --out all.json) || fail "trace failed: $out"
  echo "$out"
  grep -q "^$n drawings -> all.json: test digits 0..$((n - 1)) traced ($n)$" <<<"$out" || fail "unexpected summary: $out"
  ev=$("$bin" eval-drawings --json --model "$model" all.json) || fail "eval-drawings failed: $ev"
  python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print("traced test digits: %d/%d read right" % (r["right"], r["drawings"])); assert r["drawings"] == int(sys.argv[2]) and r["accuracy"] >= 0.97, r["accuracy"]' "$ev" "$n" || fail "the default model reads fewer than 97 % of the traced test digits"
  "$bin" trace --first 100 --count 50 --out part.json >/dev/null || fail "trace of a part failed"
  python3 - <<'PY' || fail "a traced digit depends on which part of the test set was traced"
import json
whole, part = json.load(open("all.json")), json.load(open("part.json"))
assert len(part) == 50 and part == whole[100:150]
assert all(1 <= len(d["strokes"]) <= 8 and d["width"] == 280 and 0 < d["penWidth"] < 60 for d in whole[:1000] if d["strokes"])
PY
  styled=$(sized 400 100)
  out=$("$bin" trace --count "$styled" --styles held-out --out styled.json) || fail "trace --styles held-out failed: $out"
  echo "$out"
  python3 - "$styled" <<'PY' || fail "the held-out styles are not all there, or not on their own digits"
import json, sys
drawings = json.load(open("styled.json"))
styles = {"flagged-1": 1, "flagged-based-1": 1, "crossed-7": 7, "slashed-0": 0, "open-top-4": 4, "small-loop-6": 6,
          "open-loop-6": 6, "small-loop-9": 9, "open-loop-9": 9, "flat-top-3": 3}
plain = [d for d in drawings if "style" not in d]
assert len(plain) == int(sys.argv[1]), len(plain)
for style, digit in styles.items():
    mine = [d for d in drawings if d.get("style") == style]
    assert len(mine) == sum(d["label"] == digit for d in plain) - sum(d["label"] == digit and not d["strokes"] for d in plain) and mine, style
    assert all(d["label"] == digit and abs(d["penWidth"] - 18) < 1e-3 for d in mine), style
PY
  "$bin" eval-drawings --model "$model" styled.json | grep -q "^  flagged-1 " || fail "eval-drawings does not report the styles"
  expect_error "--styles held-out writes test digits only" "$bin" trace --set train --styles held-out --out x.json
  expect_error "--first 10000: the test set has 10000 images" "$bin" trace --first 10000 --out x.json
  [ ! -e x.json ] || fail "a refused trace wrote its output"
}

run_scenario
