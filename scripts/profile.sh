#!/usr/bin/env bash
# Where the page's main thread spends the scripted session's time (tests/e2e/profile-session.mjs):
# builds the release app with its wasm function names kept (no wasm-opt pass, into
# target/profile-dist), generates the workspace once, and prints each phase's long tasks and
# the functions with the most self time under Chromium's CPU profiler. Not a benchmark: the
# build skips wasm-opt, so read where the time goes, not how much it is.
#   bash scripts/profile.sh [customers] [phase ...]   (default 5000; phases: import dashboard
#   edit designation plan customer customers)
#   bash scripts/profile.sh a1 [phase ...]   the import benchmark's A1 download (1,000 customers;
#   phases: preview apply dashboard reconciliation)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
N=${1:-5000}
shift || true
mkdir -p target/bench
sed 's/data-wasm-opt="[^"]*"/data-wasm-opt="0"/' index.html > profile.html
trap 'rm -f profile.html' EXIT
with_wasm trunk build profile.html --release --offline --dist target/profile-dist >/dev/null
cargo build --release --locked --bin pcs
if [ "$N" = a1 ]; then
  FILE=target/bench/a1-large.csv
  [ -f "$FILE" ] || ./target/release/pcs generate --customers 1000 --seed 1 --azure-usage > "$FILE"
else
  FILE=target/bench/profile-$N.json
  [ -f "$FILE" ] || ./target/release/pcs generate --customers "$N" --seed 1 --compact > "$FILE"
fi
(cd tests/e2e && node profile-session.mjs ../../target/profile-dist "../../$FILE" "$N" "$@")
