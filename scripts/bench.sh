#!/usr/bin/env bash
# Benchmarks, native and in the browser, on the same synthetic workspaces:
#   demo (16 customers), small (50), medium (500), large (5,000) — generated once, compact JSON.
# Writes target/bench/native-*.json, browser-*.json, browser-app.json (cold load, edit to
# frame), summary.json and summary.md (the table BENCHMARKS.md carries). No test asserts a time.
# PCS_BENCH_SIZES="demo small" limits the sizes (default: all four).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
SIZES=${PCS_BENCH_SIZES:-demo small medium large}
mkdir -p target/bench

step "release build of pcs"
cargo build --release --locked --bin pcs

step "workspaces"
cp src/data/demo.json target/bench/demo.json
for spec in small:50 medium:500 large:5000; do
  name=${spec%%:*}; n=${spec##*:}
  [ -f "target/bench/$name.json" ] || ./target/release/pcs generate --customers "$n" --seed 1 --compact > "target/bench/$name.json"
done
for f in target/bench/*.json; do
  case $f in *native-* | *browser-* | *summary*) ;; *) ls -l "$f" ;; esac
done

# runs and skipped steps per size (none skipped: the planner is measured on large too).
opts() { case $1 in demo) echo "10:";; small) echo "5:";; medium) echo "3:";; large) echo "3:";; esac; }

step "native (pcs bench)"
JOBS=()
for s in $SIZES; do
  IFS=: read -r runs skip < <(opts "$s")
  ./target/release/pcs bench "target/bench/$s.json" --runs "$runs" ${skip:+--skip "$skip"} > "target/bench/native-$s.json"
  echo "native: $s → target/bench/native-$s.json"
  JOBS+=("$s.json:$runs:$skip")
done

step "in Chromium (release wasm)"
# shellcheck disable=SC2119 # no extra trunk arguments here
trunk_release >/dev/null
(cd tests/e2e && node bench-browser.mjs ../../dist ../../target/bench "${JOBS[@]}")

step "import of a large Azure usage download (A1, 212,781 rows) in Chromium"
[ -f target/bench/a1-large.csv ] || ./target/release/pcs generate --customers 1000 --seed 1 --azure-usage > target/bench/a1-large.csv
/usr/bin/time -f "native: pcs import --new, %e s, %M KB" ./target/release/pcs import --new target/bench/a1-large.csv --name bench > /dev/null 2> >(tail -1 >&2)
(cd tests/e2e && node bench-import.mjs ../../dist ../../target/bench/a1-large.csv ../../target/bench/browser-import.json)

step "summary"
node scripts/bench-summary.mjs target/bench dist | tee target/bench/summary.md
