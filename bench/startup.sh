#!/usr/bin/env bash
# Start-up cost of lenet-train: wall time and peak memory (/usr/bin/time's maximum resident size) of
# --help, info of the shipped model, a one-drawing predict --json, and info --devices (the only one
# of them that loads the CUDA module), for the native preset (the CUDA module built beside it
# where nvcc is found) and a CPU-only build (-DLENET_WITH_CUDA=OFF, build/cpu-only) side by side.
# The two builds run in turn, RUNS times each (default 10); the table gives the medians.
# Usage: bench/startup.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-10}"
bash scripts/build.sh native --target lenet-train >/dev/null
if [ ! -f build/cpu-only/CMakeCache.txt ]; then
  cmake --preset native -B build/cpu-only -DLENET_WITH_CUDA=OFF -DLENET_BUILD_TESTS=OFF -DLENET_BUILD_BENCH=OFF >/dev/null
fi
cmake --build build/cpu-only --target lenet-train >/dev/null
drawing=$(mktemp --suffix=.json)
trap 'rm -f "$drawing"' EXIT
printf '{"width": 280, "height": 280, "penWidth": 18, "strokes": [[[140, 40], [142, 140], [140, 240]]]}' > "$drawing"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
python3 - "$runs" "$drawing" build/native/native_trainer/lenet-train build/cpu-only/native_trainer/lenet-train <<'PY'
import statistics, subprocess, sys, tempfile, time

runs, drawing, builds = int(sys.argv[1]), sys.argv[2], {"native": sys.argv[3], "CPU-only": sys.argv[4]}
model = "web/models/lenet-web.safetensors"
commands = {
    "--help": ["--help"],
    "info MODEL": ["info", model],
    "predict --json (one drawing)": ["predict", "--json", "--model", model, drawing],
    "info --devices": ["info", "--devices"],
}

def measure(argv):
    """Wall seconds and peak resident MiB of one run. The peak is /usr/bin/time's (the command's
    own ru_maxrss): a child forked from Python would count Python's pages from before its exec."""
    with tempfile.NamedTemporaryFile("r") as peak:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak.name] + argv,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed")
        return wall, int(peak.read().split()[-1]) / 1024

print(f"{'':30} {'native preset':>24} {'CPU-only build':>24}")
print(f"{'command':30} {'wall ms':>11} {'peak MiB':>12} {'wall ms':>11} {'peak MiB':>12}")
for name, args in commands.items():
    samples = {build: [] for build in builds}
    for _ in range(runs):
        for build, binary in builds.items():  # in turn, so that both see the same machine load
            samples[build].append(measure([binary] + args))
    cells = []
    for build in builds:
        cells.append(f"{statistics.median(w for w, _ in samples[build]) * 1000:11.1f}")
        cells.append(f"{statistics.median(m for _, m in samples[build]):12.1f}")
    print(f"{name:30} " + " ".join(cells))
PY
