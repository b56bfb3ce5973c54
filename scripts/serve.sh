#!/usr/bin/env bash
# Sets up what is missing, then builds the app and serves it at http://127.0.0.1:8080
# (rebuilding on change). It opens on the demo workspace when the browser has no saved data.
#   scripts/serve.sh          release build, as shipped
#   scripts/serve.sh --dev    debug build: faster rebuilds while developing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --build
source scripts/env.sh
MODE=(--release)
[[ "${1:-}" == "--dev" ]] && MODE=()
echo "PCS Workbench will be at http://127.0.0.1:8080/ once built (Ctrl-C stops it)"
# Its own dist directory: dist/ keeps the release build (with its CSP) for tests and deploys.
with_wasm trunk serve --offline "${MODE[@]}" --dist "$ROOT/target/serve-dist" --address 127.0.0.1 --port 8080
