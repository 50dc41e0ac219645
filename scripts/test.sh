#!/usr/bin/env bash
# The whole test suite: cargo test, then the browser tests in headless Chromium.
# Installs what is missing on a fresh Debian machine (chromium, the pinned npm packages) and
# exits non-zero if anything fails or cannot run for lack of a dependency.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing after install" >&2; exit 1; }

if ! command -v python3 >/dev/null 2>&1; then
  echo "== installing Debian's python3 (a plain static server for the hosting tests)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3 >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "error: node is required for the browser tests" >&2; exit 1; }
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages from package-lock.json"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

echo "== cargo fmt and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== cargo test"
cargo test --workspace --all-targets

echo "== browser tests"
cargo build --release --quiet
GUIDE_BIN="$PWD/target/release/guide" node --test --test-concurrency=1 tests/browser/
