#!/usr/bin/env bash
# Sets up everything missing, then runs every test: formatting, clippy (host and wasm),
# the engine's host tests, the release build, and the browser end-to-end tests.
# The last line is the total, e.g. "total: 212 passed, 0 failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/env.sh
mkdir -p target

step "cargo fmt --check"
cargo fmt --all -- --check

step "shellcheck (the collector and the scripts)"
shellcheck public/pcs-collect.sh tests/data/import/fake-az/az scripts/*.sh

step "clippy (host, warnings denied)"
cargo clippy --locked --all-targets -- -D warnings

step "clippy (wasm32 app, warnings denied)"
wasm_clippy

step "host tests (engine, command line, data)"
cargo test --locked 2>&1 | tee target/host-tests.log
read -r HOST_PASSED HOST_FAILED < <(awk '/^test result:/ { p += $4; f += $6 } END { print p+0, f+0 }' target/host-tests.log)

step "release build (trunk)"
# shellcheck disable=SC2119 # no extra trunk arguments here
trunk_release
# A 500-customer workspace for the browser test of a large import (built by cargo test above).
target/debug/pcs generate --customers 500 --seed 1 --compact > target/e2e-medium.json
# The 50-customer partner that lost customers (net customer adds -6), for the path-to-70 test.
target/debug/pcs generate --customers 50 --seed 1 --compact > target/e2e-small.json
# A 212,781-row Partner Center Azure usage download (41 MB) for the browser test of a large import.
target/debug/pcs generate --customers 1000 --seed 1 --azure-usage > target/e2e-a1-large.csv

step "browser tests (Playwright, Debian Chromium)"
E2E_STATUS=0
(cd tests/e2e && npx playwright test) || E2E_STATUS=$?
read -r E2E_PASSED E2E_FAILED < <(node -e '
  const r = require("./tests/e2e/results.json").stats;
  console.log(r.expected + r.flaky, r.unexpected);' 2>/dev/null || echo "0 1")

echo
echo "host tests: $HOST_PASSED passed, $HOST_FAILED failed"
echo "browser tests: $E2E_PASSED passed, $E2E_FAILED failed"
echo "total: $((HOST_PASSED + E2E_PASSED)) passed, $((HOST_FAILED + E2E_FAILED)) failed"
exit "$E2E_STATUS"
