#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz, built by the asan preset: clang, ASan, UBSan) for
# SECONDS each, or until --runs N executions, and prints per harness: executions, executions per
# second, corpus size, and findings (crashes, leaks, time-outs, out-of-memory), each saved as a
# reproducer under build/fuzz/findings/NAME/. Exit status 1 when anything was found.
#   bench/fuzz.sh [SECONDS] [--runs N] [--jobs J] [--only NAME] [--max-len BYTES]
# --jobs J runs J harnesses at once (one core each). --max-len caps an input (default 4096: a
# drawing of some 300 points, any header of a real model; larger drawings cost their preprocessing
# quadratically more, so a long run with 64 KB inputs does a tenth of the executions).
# New inputs go to build/fuzz/corpus/NAME, kept between runs; the seeds in tests/fuzz/corpus are
# never written to. A finding becomes a unit test: run `build/asan/tests/fuzz/fuzz_NAME REPRODUCER`
# to replay it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds=600
runs=-1
jobs=1
only=""
max_len=4096
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --max-len) max_len="$2"; shift 2 ;;
    [0-9]*) seconds="$1"; shift ;;
    *) echo "usage: bench/fuzz.sh [SECONDS] [--runs N] [--jobs J] [--only NAME] [--max-len BYTES]" >&2; exit 2 ;;
  esac
done
[ "$runs" -gt 0 ] && seconds=0  # libFuzzer: -max_total_time=0 means no time limit

bash scripts/build.sh asan --target fuzz_idx fuzz_safetensors fuzz_drawing fuzz_spec >/dev/null
names=(drawing spec safetensors idx)  # the slowest first: with --jobs 2 they end together
[ -n "$only" ] && names=("$only")

fuzz_one() {
  local name="$1" corpus="build/fuzz/corpus/$1" findings="build/fuzz/findings/$1"
  mkdir -p "$corpus" "$findings"
  # -timeout: libFuzzer's clock is the wall clock, so a fuzzer that waits for a busy core (a build
  # beside it) can look hung; an input here takes milliseconds, 60 s still catches a real hang.
  "build/asan/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -runs="$runs" -timeout=60 -rss_limit_mb=2048 \
    -max_len="$max_len" -print_final_stats=1 -dict="tests/fuzz/$name.dict" -artifact_prefix="$findings/" \
    "$corpus" "tests/fuzz/corpus/$name" > "build/fuzz/$name.log" 2>&1 || true
}

mkdir -p build/fuzz
running=0
for name in "${names[@]}"; do
  fuzz_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
printf '%-12s %14s %10s %8s %9s\n' harness executions exec/s corpus findings
for name in "${names[@]}"; do
  log="build/fuzz/$name.log"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "build/fuzz/corpus/$name" -type f | wc -l)
  # crash-, leak-, timeout-, oom-: findings. slow-unit- (over 10 s of wall clock, as when the
  # fuzzer waits for a busy core) is listed for a look but is no finding.
  found=$(find "build/fuzz/findings/$name" -type f ! -name 'slow-unit-*' | wc -l)
  slow=$(find "build/fuzz/findings/$name" -type f -name 'slow-unit-*' | wc -l)
  [ "$slow" -eq 0 ] || echo "$name: $slow slow input(s) in build/fuzz/findings/$name (replay each to time it)" >&2
  printf '%-12s %14s %10s %8s %9s\n' "$name" "${executions:-?}" "${per_second:-?}" "$corpus" "$found"
  if [ "$found" -gt 0 ] || [ -z "$executions" ]; then
    status=1
    grep -E "^==[0-9]+==ERROR|^SUMMARY|runtime error|Test unit written" "$log" | head -5 || tail -5 "$log"
  fi
done
exit "$status"
