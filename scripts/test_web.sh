#!/usr/bin/env bash
# The page's tests (`npm run test:web`, and the last step of `npm test`): builds both wasm modules,
# then runs tests/web/*.test.mjs with node's test runner: the modules under node, and the page in
# headless Chromium (/usr/bin/chromium through playwright-core) served under /lenet/.
# The agreement test compares with build/native's lenet-train: build the native preset first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build_web_modules.sh
node --test tests/web/*.test.mjs
