#!/usr/bin/env bash
# `npm run bench`: every benchmark, one after the other (never in parallel: 2 cores).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash gemm.sh "$@"
bash train.sh --peer
bash browser.sh
