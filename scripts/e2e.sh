#!/usr/bin/env bash
# The end-to-end tests on a real local node (issue 12), run by scripts/test.sh:
#   1. installs what a fresh machine lacks, cached under ~/.cache/referral-protocol: solana-test-validator
#      (scripts/install-validator.sh), Debian's chromium (its .deb files kept in the cache), the app's npm
#      packages (npm's cache kept there too);
#   2. checks the TypeScript client is current with idl/ (like the IDL check) and type-checks the app;
#   3. builds the app (static dist/) and the client bundle for Node;
#   4. starts the node, deploys both programs and creates the hub (scripts/localnet.sh), runs the CLI test
#      and the browser test (node:test), stops the node.
# Screenshots: app/test-results/*.png.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CACHE="$HOME/.cache/referral-protocol"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
step() { printf '\n==> %s\n' "$*"; }
t0=$(date +%s)

step "e2e: solana-test-validator (cached in $CACHE)"
bash scripts/install-validator.sh

step "e2e: chromium"
if ! command -v chromium >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  mkdir -p "$CACHE/apt/partial"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o Dir::Cache::archives="$CACHE/apt" chromium >/dev/null
fi
chromium --version

step "e2e: app packages, generated client, typecheck, build"
cd app
export npm_config_cache="$CACHE/npm"
npm ci --no-audit --no-fund --loglevel=error
npm run -s check-generated 2>&1 | grep -v "collision\|conflicting attributes"
npm run -s typecheck
npm run -s build >/dev/null
cd "$ROOT"

step "e2e: local node"
cargo build --locked -q -p referral-cli
trap 'bash "$ROOT/scripts/localnet.sh" stop' EXIT
ENV_FILE="$(bash scripts/localnet.sh start)"
# shellcheck disable=SC1090
source "$ENV_FILE"
export LOCALNET_URL LOCALNET_DIR LOCALNET_HUB
export REFERRAL_BIN="$CARGO_TARGET_DIR/debug/referral"

step "e2e: CLI over RPC and the browser test"
rm -rf app/test-results
cd app
node --test --test-concurrency=1 --test-reporter=spec tests/client.test.mjs tests/cli.e2e.mjs tests/browser.e2e.mjs
cd "$ROOT"
echo "e2e: $(( $(date +%s) - t0 )) s; screenshots in app/test-results/"
