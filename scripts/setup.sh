#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently, into a cache
# outside the repository, and writes "$PCS_TOOLS/env.sh" for the other scripts.
#
#   scripts/setup.sh            everything (build + browser tests)
#   scripts/setup.sh --build    only what building and serving the app needs
#
# A second run installs nothing. Versions are pinned here and in Cargo.lock.
set -euo pipefail

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PCS_TOOLS="${PCS_TOOLS:-$HOME/.cache/pcs-workbench}"
WANT_BROWSER=1
[[ "${1:-}" == "--build" ]] && WANT_BROWSER=0

mkdir -p "$PCS_TOOLS"
say() { printf '\033[1;34msetup:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31msetup:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
[[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null && SUDO="sudo"
APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install them by hand"
  say "installing Debian packages: ${missing[*]}"
  if ((APT_UPDATED == 0)); then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
command -v npm >/dev/null || apt_install nodejs npm

# --- The wasm32 target: rustup's when it can be had, else Debian's rustc-web + build-std.
# PCS_WASM_TOOLCHAIN=debian forces the fallback (to test it where rustup works).
WASM_ENV=()
FORCE="${PCS_WASM_TOOLCHAIN:-auto}"
if [[ "$FORCE" != debian ]] && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  WASM_MODE=rustup
elif [[ "$FORCE" != debian ]] && [[ ! -f "$PCS_TOOLS/rustup-unreachable" || -n "${PCS_RETRY_RUSTUP:-}" ]] &&
     timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  WASM_MODE=rustup
else
  # Remember the failure so later runs do not wait for the timeout again.
  [[ "$FORCE" == debian ]] || touch "$PCS_TOOLS/rustup-unreachable"
  WASM_MODE=debian
  apt_install rustc-web rust-web-src lld-22 rust-web-clippy
  WASM_ENV=(
    "RUSTC=/usr/bin/rustc"
    "RUSTC_BOOTSTRAP=1"
    "CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-22"
  )
fi

# --- Trunk (0.22 needs a newer rustc than rustup stable here).
TRUNK_DIR="$PCS_TOOLS/trunk-$TRUNK_VERSION"
if [[ ! -x "$TRUNK_DIR/bin/trunk" ]]; then
  say "installing trunk $TRUNK_VERSION (takes ~10 minutes once)"
  cargo install --locked --quiet trunk --version "$TRUNK_VERSION" --root "$TRUNK_DIR"
fi

# --- wasm-bindgen-cli at exactly the version Cargo.lock resolved.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
[[ -n "$WB_VERSION" ]] || die "could not read the wasm-bindgen version from Cargo.lock"
WB_DIR="$PCS_TOOLS/wasm-bindgen-$WB_VERSION"
if [[ ! -x "$WB_DIR/bin/wasm-bindgen" ]]; then
  say "installing wasm-bindgen-cli $WB_VERSION (takes ~3 minutes once)"
  # No --locked: the CLI's own lock file pins a crate version the registry no longer serves.
  cargo install --quiet wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_DIR"
fi

# --- wasm-opt from npm's binaryen (Debian's v108 breaks the externref table export).
BINARYEN_DIR="$PCS_TOOLS/binaryen-$BINARYEN_VERSION"
if [[ ! -x "$BINARYEN_DIR/node_modules/.bin/wasm-opt" ]]; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$BINARYEN_DIR"
  npm install --silent --no-audit --no-fund --prefix "$BINARYEN_DIR" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

# --- Browser tests: Debian's Chromium and Playwright (which never downloads a browser here).
if ((WANT_BROWSER)); then
  # ShellCheck lints the tenant inventory collector (public/pcs-collect.sh) in the test run.
  apt_install chromium shellcheck
  E2E="$ROOT/tests/e2e"
  STAMP="$E2E/node_modules/.pcs-lock-hash"
  HASH="$(sha256sum "$E2E/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$HASH" ]]; then
    say "installing Playwright (npm ci)"
    (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
    echo "$HASH" >"$STAMP"
  fi
fi

# --- The crates of every target (Trunk builds the app with --offline, which cargo obeys too).
cargo fetch --locked --quiet --manifest-path "$ROOT/Cargo.toml" || die "cargo fetch failed: the crates registry must be reachable"

# --- The environment the other scripts source.
{
  echo "# written by scripts/setup.sh; sourced by scripts/serve.sh and scripts/test.sh"
  echo "export PCS_WASM_MODE=$WASM_MODE"
  echo "export PATH=\"$TRUNK_DIR/bin:$WB_DIR/bin:$BINARYEN_DIR/node_modules/.bin:\$PATH\""
  echo "export PCS_WASM_ENV=\"${WASM_ENV[*]}\""
  echo "export PCS_WASM_BINDGEN_VERSION=$WB_VERSION"
} >"$PCS_TOOLS/env.sh"
say "ready ($WASM_MODE wasm toolchain, trunk $TRUNK_VERSION, wasm-bindgen $WB_VERSION, wasm-opt $BINARYEN_VERSION)"
