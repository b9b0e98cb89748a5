#!/usr/bin/env bash
# The member's page against the running local node (`scripts/localnet.sh start` first): installs the app's
# packages if needed and serves the page with vite at http://127.0.0.1:${APP_PORT:-5173}/, configured with the
# node's URL and hub (written to app/public/config.json; the committed default points at 127.0.0.1:8899).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ENV_FILE="${LOCALNET_STATE:-$HOME/.cache/referral-protocol/localnet}/env"
if ! bash scripts/localnet.sh status >/dev/null 2>&1; then
  echo "app.sh: no local node is running: start it with \`bash scripts/localnet.sh start\`" >&2
  exit 1
fi
# shellcheck disable=SC1090
source "$ENV_FILE"
cd app
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
mkdir -p .local
printf '{ "rpc": "%s", "hub": "%s", "chain": "solana:localnet" }\n' "$LOCALNET_URL" "$LOCALNET_HUB" > .local/config.json
echo "app.sh: hub $LOCALNET_HUB on $LOCALNET_URL; wallets in $LOCALNET_DIR/wallets" >&2
exec npx vite --host 127.0.0.1 --port "${APP_PORT:-5173}" --strictPort
