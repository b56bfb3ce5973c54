# shellcheck shell=bash
# Sourced by the other scripts: the tool cache, the environment setup.sh wrote,
# and helpers that run cargo/trunk for wasm32 with the right toolchain.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PCS_TOOLS="${PCS_TOOLS:-$HOME/.cache/pcs-workbench}"
export PCS_TOOLS
# shellcheck source=/dev/null
source "$PCS_TOOLS/env.sh"

step() { printf '\n\033[1;36m==> %s\033[0m\n' "$*"; }

# Run a command with the wasm toolchain's environment (empty when rustup has the target).
# wasm builds use their own target dir: Debian's rustc must not share artefacts with rustup's.
# The app is optimised for size (the host's release profile is optimised for speed).
with_wasm() {
  # shellcheck disable=SC2086
  env $PCS_WASM_ENV CARGO_TARGET_DIR="$ROOT/target/web" CARGO_PROFILE_RELEASE_OPT_LEVEL=z "$@"
}

# Clippy's lints on the wasm-only code (the UI), warnings denied.
wasm_clippy() {
  if [[ "$PCS_WASM_MODE" == rustup ]]; then
    CARGO_TARGET_DIR="$ROOT/target/web" cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings
  else
    # rustup's clippy cannot build Debian's std source; Debian's clippy-driver matches it.
    # Its own target dir, since the -D flag is part of every crate's fingerprint.
    # shellcheck disable=SC2086
    env $PCS_WASM_ENV CARGO_TARGET_DIR="$ROOT/target/web-clippy" RUSTC_WORKSPACE_WRAPPER=/usr/bin/clippy-driver \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-D warnings --cfg erase_components" \
      cargo check --locked --target wasm32-unknown-unknown --lib --bins
  fi
}

# The release build of the app into dist/, with its Content-Security-Policy.
trunk_release() {
  with_wasm trunk build --release --offline "$@"
  node "$ROOT/scripts/csp.mjs" "$ROOT/dist/index.html"
}
