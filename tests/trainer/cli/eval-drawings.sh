#!/usr/bin/env bash
# CLI tests of `lenet-train eval-drawings`: labelled drawings counted as predict reads them, refusals.
# One scenario per CTest entry: eval-drawings.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_agrees_with_predict() {
  # Labelled drawings in two files, some deliberately mislabelled and one empty: eval-drawings
  # must count as right exactly the drawings that `predict` reads as their label.
  model_that_reads m.safetensors || fail "train failed"
  python3 - <<'PY' || fail "could not write the drawings"
import json, math
pen = {"width": 280, "height": 280, "penWidth": 18}
one = dict(pen, strokes=[[[140, 40], [142, 140], [140, 240]]])
zero = dict(pen, strokes=[[[140 + 60 * math.sin(t / 20 * 6.283), 140 - 90 * math.cos(t / 20 * 6.283)] for t in range(21)]])
seven = dict(pen, strokes=[[[70, 50], [210, 50], [120, 240]]])
empty = dict(pen, strokes=[])
labelled = [dict(one, label=1, style="flagged-1"), dict(zero, label=0, style="flagged-1"), dict(seven, label=7),
            dict(one, label=7, style="plain"), dict(zero, label=6), dict(empty, label=3, style="plain"), dict(one, label=1)]
json.dump(labelled[:4], open("a.json", "w"))
json.dump(labelled[4:], open("b.json", "w"))
json.dump(labelled, open("all.json", "w"))
json.dump([{k: v for k, v in d.items() if k not in ("label", "style")} for d in labelled], open("unlabelled.json", "w"))
json.dump([labelled[0], dict(one)], open("nolabel.json", "w"))
json.dump([labelled[0], dict(pen, strokes=[3], label=1)], open("malformed.json", "w"))
json.dump([dict(one, label=10)], open("label10.json", "w"))
json.dump([], open("none.json", "w"))
PY
  pred=$("$bin" predict --json --model m.safetensors unlabelled.json) || fail "predict failed: $pred"
  out=$("$bin" eval-drawings --model m.safetensors a.json b.json --report report) || fail "eval-drawings failed: $out"
  echo "$out"
  js=$("$bin" eval-drawings --json --model m.safetensors a.json b.json) || fail "eval-drawings --json failed: $js"
  python3 - "$pred" "$out" "$js" <<'PY' || fail "eval-drawings disagrees with predict"
import json, sys
labelled = json.load(open("all.json"))
pred, out, js = json.loads(sys.argv[1]), sys.argv[2].splitlines(), json.loads(sys.argv[3])
right = [not p["empty"] and p["prediction"] == d["label"] for p, d in zip(pred, labelled)]
assert len(pred) == len(labelled) == 7 and 0 < sum(right) < len(right), (pred, right)
def line(r):  # "right/total  percent %", as eval-drawings prints them
    return f"{sum(r)}/{len(r)} {100 * sum(r) / len(r):.2f} %"
styles = sorted({d.get("style", "") for d in labelled} - {""}) + [""]
expected = [f"m.safetensors on 2 files: accuracy {100 * sum(right) / 7:.2f} % ({sum(right)}/7)",
            "empty drawings (nothing drawn, counted as wrong): 1", "accuracy by style:"]
expected += [f"{s or '(no style)'} " + line([r for r, d in zip(right, labelled) if d.get("style", "") == s]) for s in styles]
squeezed = [" ".join(l.split()) for l in out]
for e in expected:
    assert e in squeezed, f"missing line {e!r}"
# The text matrix (rows: true class) holds the 6 drawings with ink.
rows = [l.split()[1:] for l in out[out.index("confusion matrix (rows: true digit, columns: predicted):") + 2:] if l.strip()]
assert len(rows) == 10 and sum(int(v) for r in rows for v in r) == 6, rows
assert js["drawings"] == 7 and js["right"] == sum(right) and abs(js["accuracy"] - sum(right) / 7) < 1e-12, js
assert js["empty"] == 1 and sum(map(sum, js["confusion_matrix"])) == 6 and len(js["wrong"]) == 7 - sum(right), js
assert [[int(v) for v in r] for r in rows] == js["confusion_matrix"], (rows, js["confusion_matrix"])
assert js["per_style"]["plain"]["total"] == 2 and js["without_style"]["total"] == 3, js
png = open("report/misread.png", "rb").read(8)
assert png == b"\x89PNG\r\n\x1a\n", png
html = open("report/index.html").read()
assert f"Accuracy <strong>{100 * sum(right) / 7:.2f} %</strong>" in html and 'src="misread.png"' in html, html
assert 'src="confusion.png"' in html and "<td style=\"text-align:left\">flagged-1</td>" in html, html
PY
  # A bad drawing is one line naming the file and the drawing's index, exit code 1.
  one_error() {
    local expected="$1" err code
    shift
    err=$("$@" 2>&1 >/dev/null)
    code=$?
    [ "$code" = 1 ] || fail "expected exit code 1 from '$*', got $code: $err"
    [ "$err" = "lenet-train: $expected" ] || fail "expected the one error '$expected' from '$*', got: $err"
    echo "ok: '$*' -> $err"
  }
  one_error 'nolabel.json: drawing 1 has no "label"' "$bin" eval-drawings --model m.safetensors a.json nolabel.json
  one_error 'malformed.json: drawing 1: stroke 0 must be a list of [x, y] points' "$bin" eval-drawings --model m.safetensors malformed.json
  one_error 'label10.json: drawing 0 has label 10, but m.safetensors has 10 classes (labels 0 to 9)' "$bin" eval-drawings --model m.safetensors label10.json
  one_error 'none.json holds no drawings (an empty list)' "$bin" eval-drawings --model m.safetensors none.json
  expect_error "files is required" "$bin" eval-drawings --model m.safetensors
}

run_scenario
