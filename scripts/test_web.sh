#!/usr/bin/env bash
# The page's tests (`npm run test:web`, and the last step of `npm test`): builds both wasm modules,
# then runs tests/web/*.test.mjs with node's test runner: the modules under node, and the page in
# headless Chromium (/usr/bin/chromium through playwright-core) served under /lenet/, and what
# differs between engines in Firefox ESR and WebKitGTK too (tests/web/engine_*.test.mjs).
# The agreement test compares with build/native's lenet-train: build the native preset first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/build_web_modules.sh
# Three files at once (node's default is one per core but one): each test waits on page loads,
# input events and animation frames as much as it computes (95 s -> 74 s here on 2 cores).
node --test --test-concurrency=3 tests/web/*.test.mjs
