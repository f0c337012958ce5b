#!/usr/bin/env bash
# Configures and builds one CMake preset (native, asan, cuda, wasm, wasm-scalar), setting the
# machine up first if something is missing. Usage: scripts/build.sh PRESET [cmake --build args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset="${1:?usage: scripts/build.sh native|asan|cuda|wasm|wasm-scalar}"
shift
bash scripts/setup.sh
case "$preset" in
  wasm | wasm-scalar) export NODE_PATH=/usr/share/nodejs ;;  # Emscripten 3.1.6's JS optimizer needs Debian's acorn
esac
jobs="${LENET_JOBS:-$(nproc)}"
if [ ! -f "build/$preset/CMakeCache.txt" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset" -j "$jobs" "$@"
