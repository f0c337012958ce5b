#!/usr/bin/env bash
# CLI tests of whole numbers (issue 27), across three subcommands: `trace --numbers` writes them,
# `predict --number` reads them, `eval-drawings --number` scores them.
# One scenario per CTest entry: number.sh SCENARIO LENET_TRAIN SCRATCH_DIR
# (The scenario's body is not indented: it holds multi-line python3 -c programs.)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_whole_numbers() {
local model="$repo/web/models/lenet-web.safetensors"
# trace --numbers: seeded, string labels of digits and separators, difficulty tags as "style".
trace=(trace --data "$MNIST_DIR" --set test --first 0 --count 300 --threads 2)
"$bin" "${trace[@]}" --numbers 12 --out numbers.json || fail "trace --numbers failed"
"$bin" "${trace[@]}" --numbers 12 --out again.json >/dev/null || fail "trace --numbers failed"
cmp -s numbers.json again.json || fail "trace --numbers with the same seed wrote different numbers"
"$bin" "${trace[@]}" --numbers 12 --seed 5 --out other.json >/dev/null || fail "trace --numbers --seed 5 failed"
cmp -s numbers.json other.json && fail "trace --numbers --seed 5 wrote the default seed's numbers"
python3 - numbers.json <<'PY' || fail "trace --numbers wrote unexpected labels"
import json, re, sys
numbers = json.load(open(sys.argv[1]))
assert len(numbers) == 12, len(numbers)
for n in numbers:
    assert isinstance(n["label"], str) and re.fullmatch(r"[0-9][0-9\-/.:,]*[0-9]", n["label"]), n["label"]
    assert re.match(r"digits-", n["style"]), n["style"]
    assert 2 <= sum(c.isdigit() for c in n["label"]) <= 10
PY
expect_error "--numbers writes numbers of plain traced digits" "$bin" "${trace[@]}" --numbers 2 --styles held-out --out x.json

# predict --number --json: every field, and each stroke read exactly once.
"$bin" predict --model "$model" --number --json numbers.json > predicted.json || fail "predict --number --json failed"
python3 - numbers.json predicted.json <<'PY' || fail "predict --number --json is not as documented"
import json, sys
numbers, results = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(results) == len(numbers)
for n, r in zip(numbers, results):
    assert r["number"] == "".join(c["char"] for c in r["characters"]), r
    strokes = sorted(s for c in r["characters"] for s in c["strokes"])
    assert strokes == list(range(len(n["strokes"]))), (strokes, len(n["strokes"]))
    for c in r["characters"]:
        assert 0 <= c["probability"] <= 1 and (c["runner_up"] is None or set(c["runner_up"]) == {"char", "probability"})
    assert all(set(a) == {"number", "score"} and a["number"] != r["number"] for a in r["alternatives"])
    assert all(a["score"] <= r["score"] for a in r["alternatives"])
PY
"$bin" predict --model "$model" --number numbers.json > predicted.txt || fail "predict --number failed"
[ "$(wc -l < predicted.txt)" = 12 ] || fail "predict --number should print one line per number: $(cat predicted.txt)"
echo "ok: predict --number: $(head -n 1 predicted.txt)"

# eval-drawings --number: its figures equal those worked out here from predict's readings.
"$bin" eval-drawings --model "$model" --number --json numbers.json > scored.json || fail "eval-drawings --number --json failed"
python3 - numbers.json predicted.json scored.json <<'PY' || fail "eval-drawings --number scored differently from predict's readings"
import json, sys
numbers, results, scored = (json.load(open(p)) for p in sys.argv[1:4])
def edits(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(prev + (ca != cb), row[j] + 1, row[j - 1] + 1)
    return row[-1]
digits = lambda s: sum(c.isdigit() for c in s)
pairs = [(n["label"], r["number"]) for n, r in zip(numbers, results)]
assert scored["numbers"] == 12
assert scored["right"] == sum(l == r for l, r in pairs), scored
assert scored["edit_distance"] == sum(edits(l, r) for l, r in pairs), scored
assert scored["characters"] == sum(len(l) for l, _ in pairs)
assert scored["wrong_digit_count"] == sum(digits(l) != digits(r) for l, r in pairs)
assert len(scored["wrong"]) == 12 - scored["right"]
print(f"ok: {scored['right']} of 12 numbers right, character accuracy {scored['character_accuracy']:.3f}")
PY
"$bin" eval-drawings --model "$model" --number numbers.json > scored.txt || fail "eval-drawings --number failed"
grep -q "whole numbers right:" scored.txt && grep -q "characters right:" scored.txt && grep -q "wrong count of digits:" scored.txt &&
  grep -q "whole numbers right by tag:" scored.txt || fail "eval-drawings --number printed: $(cat scored.txt)"
cat scored.txt

# A known answer: two drawings, one labelled with what it reads and one with a digit too many
# (integer labels, the single digits' files, count as numbers too).
python3 - predicted.json numbers.json > known.json <<'PY'
import json, sys
results, numbers = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
right = dict(numbers[0], label=results[0]["number"])
wrong = dict(numbers[1], label=results[1]["number"] + "7")
print(json.dumps([right, wrong]))
PY
"$bin" eval-drawings --model "$model" --number --json known.json > known_scored.json || fail "eval-drawings --number on known.json failed"
python3 -c "
import json, sys; s = json.load(open('known_scored.json'))
assert (s['right'], s['wrong_digit_count'], s['edit_distance']) == (1, 1, 1), s" || fail "known answers scored wrong: $(cat known_scored.json)"
"$bin" trace --data "$MNIST_DIR" --set test --first 0 --count 3 --threads 2 --out digits.json >/dev/null || fail "trace failed"
"$bin" eval-drawings --model "$model" --number digits.json | grep -q "3 numbers" || fail "integer labels did not read as numbers"
echo "ok: known answers"

# Bad input: one clear error each, naming the drawing.
python3 -c "
import json; n = json.load(open('numbers.json'))
n[1]['label'] = '12a'; json.dump(n, open('bad_label.json', 'w'))
n[1]['label'] = 3.5; json.dump(n, open('half_label.json', 'w'))
n[1]['label'] = ''; json.dump(n, open('empty_label.json', 'w'))
n[1]['label'] = '12'; n[1]['penWidth'] = -1; json.dump(n, open('bad_pen.json', 'w'))
m = n[0]; m['strokes'] = [[[10 * i, 10], [10 * i, 60]] for i in range(65)]; json.dump(m, open('many.json', 'w'))"
expect_error 'bad_label.json: drawing 1: "label" must be digits and the separators -/.:, ("2026", "5/27"), not "12a"' \
  "$bin" eval-drawings --model "$model" --number bad_label.json
expect_error 'half_label.json: drawing 1: "label" must be a whole number >= 0, not 3.5' "$bin" eval-drawings --model "$model" --number half_label.json
expect_error 'empty_label.json: drawing 1: "label" must be digits' "$bin" eval-drawings --model "$model" --number empty_label.json
expect_error 'bad_pen.json: drawing 1: penWidth must be a finite number > 0' "$bin" eval-drawings --model "$model" --number bad_pen.json
expect_error "a number may have at most 64 strokes; this drawing has 65" "$bin" predict --model "$model" --number many.json
printf 'P5\n2 2\n255\n\0\0\0\0' > image.pgm
expect_error "image.pgm: --number reads drawing .json files (strokes), not images" "$bin" predict --model "$model" --number image.pgm
expect_error "--report is not available with --number yet" "$bin" eval-drawings --model "$model" --number --report out numbers.json
echo "PASS"
}

run_scenario
