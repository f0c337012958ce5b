#!/usr/bin/env bash
# `npm start`: sets the machine up if needed, builds the page's wasm modules if they are missing or
# stale (an up-to-date build takes seconds), then serves web/ on http://localhost:8080/.
# Extra arguments go to the server, e.g. `npm start -- --port 9000 --base /lenet/`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build_web_modules.sh
exec node scripts/serve.mjs --root web "$@"
