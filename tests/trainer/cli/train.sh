#!/usr/bin/env bash
# CLI tests of `lenet-train train`: learning, its report, the callbacks, reproducible and resumable runs, the terminal, refusals.
# One scenario per CTest entry: train.sh SCENARIO LENET_TRAIN SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scenario_train_then_eval() {
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
}

scenario_terminal() {
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
}

scenario_defaults() {
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
}

scenario_callbacks() {
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
}

scenario_reproducible() {
  "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 1000 --out a.safetensors >/dev/null || fail "first run failed"
  "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer adam --train-images 1000 --out b.safetensors >/dev/null || fail "second run failed"
  same_weights a.safetensors b.safetensors || fail "two runs with the same seed and threads differ"
  echo "ok: identical weights from two seeded runs"
}

scenario_resume() {
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
}

scenario_interrupt() {
  # Ctrl-C mid-epoch: a checkpoint, exit 130, and --resume finishes with the straight run's weights.
  out=$(interrupt_and_resume "$bin" "${small_train[@]}" --optimizer adam --train-images "$(sized 6000 400)" --batch-size 8 --epochs 1) || fail "$out"
  grep -Eq "batch(es)? done" <<<"$out" || fail "$out"
  echo "ok: $(grep resuming <<<"$out")"
}

scenario_augment() {
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
}

scenario_drawn() {
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
}

scenario_nan_loss() {
  expect_error "the loss became NaN at epoch 1, batch" "$bin" "${small_train[@]}" --batch-size 32 --epochs 1 --optimizer sgd --lr 1e30 --train-images 500 --out nan.safetensors
  [ ! -e nan.safetensors ] || fail "a model was written despite the NaN"
  [ -z "$(ls)" ] || fail "files were left behind: $(ls)"
}

scenario_bad_input() {
  printf 'not a model' > junk.safetensors  # a file, so no folder can be made in it
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
  data_without_test_images no-tests
  expect_error "no-tests/t10k-images-idx3-ubyte holds no images" "$bin" train --data no-tests --epochs 1
  # Usage errors (exit 2); no count wraps below 0.
  usage_error "lenet-train: --epochs: must be a whole number >= 1, not '-1' (see lenet-train train --help)" train --epochs -1
  usage_error "lenet-train: --epochs: must be a whole number >= 1, not '0' (see lenet-train train --help)" train --epochs 0
  usage_error "lenet-train: --checkpoint-every: must be a whole number >= 0, not '-1' (see lenet-train train --help)" train --checkpoint-every -1
  usage_error "lenet-train: --train-images: must be a whole number >= 0, not '-5' (see lenet-train train --help)" train --train-images -5
  usage_error "lenet-train: --seed: must be a whole number >= 0, not '-1' (see lenet-train train --help)" train --seed -1
  usage_error "lenet-train: --drawn: must be a number from 0 to 1, not '1.5' (see lenet-train train --help)" train --augment --drawn 1.5
  usage_error "lenet-train: --momentum: must be a number from 0 to 0.9999, not 'nan' (see lenet-train train --help)" train --momentum nan
  usage_error "lenet-train: --threads: must be a whole number from 1 to 1024, not '100000' (see lenet-train train --help)" train --threads 100000
  usage_error "lenet-train: The following argument was not expected: --bogus (see lenet-train train --help)" train --bogus
  expect_error "--optimizer" "$bin" train --optimizer rmsprop
  expect_error "--init: xavier not in {glorot-uniform,glorot-uniform-early-keras,he-uniform,he-normal,truncated-normal}" "$bin" train --init xavier
  expect_error "--normalize needs a finite mean and a positive standard deviation" "$bin" train --normalize 0.1,0
  expect_error "does not fit its input" "$bin" train --arch "input(1,28,28) conv(6,5) maxpool conv(16,5) maxpool conv(120,5) maxpool flatten dense(10)"
  # An output that cannot be written is refused before the first batch, not after the last.
  quick_run=(train --arch lenet5-rowe98 --train-images 500 --test-images 100 --epochs 1)
  expect_error "--out missing/m.safetensors: the folder missing does not exist" "$bin" "${quick_run[@]}" --out missing/m.safetensors
  expect_error "--out . is a folder; give a file name in it" "$bin" "${quick_run[@]}" --out .
  expect_error "--out is empty; give the file to write" "$bin" "${quick_run[@]}" --out ''
  expect_error "--report junk.safetensors/report: cannot create the folder" "$bin" "${quick_run[@]}" --out ok.safetensors --report junk.safetensors/report
  out=$("$bin" "${quick_run[@]}" --out missing/m.safetensors 2>&1)
  ! grep -q "^Epoch" <<<"$out" || fail "training ran before the unwritable --out was refused: $out"
  [ -z "$(ls | grep -e '\.tmp-' -e '^ok\.')" ] || fail "the checks left files behind: $(ls)"
}

run_scenario
