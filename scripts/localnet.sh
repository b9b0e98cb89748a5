#!/usr/bin/env bash
# A real local Solana node with the protocol deployed (issue 12):
#
#   scripts/localnet.sh start     install (once, cached) and start solana-test-validator on loopback with a
#                                 ledger in a temp dir, wait until it answers, deploy both programs and create
#                                 the local hub with migrations/deploy.sh; prints the env file to source
#   scripts/localnet.sh stop      stop it and remove its temp dir
#   scripts/localnet.sh status    say whether it runs, and where
#
# Env: LOCALNET_PORT (RPC port, default 8899; the websocket is PORT+1, the faucet PORT+1001),
#      LOCALNET_STATE (where the running node's env file is kept, default ~/.cache/referral-protocol/localnet).
# The env file (`source` it) sets LOCALNET_URL, LOCALNET_DIR (wallets/, fixture.json, hub.toml, ledger/,
# validator.log), LOCALNET_PID, LOCALNET_HUB.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${LOCALNET_PORT:-8899}"
STATE="${LOCALNET_STATE:-$HOME/.cache/referral-protocol/localnet}"
ENV_FILE="$STATE/env"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

rpc() { # method [params-json]: prints the JSON result or fails
  curl -sS --max-time 5 -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" "http://127.0.0.1:$PORT"
}

running() {
  [ -f "$ENV_FILE" ] || return 1
  # shellcheck disable=SC1090
  source "$ENV_FILE"
  kill -0 "$LOCALNET_PID" 2>/dev/null
}

start() {
  if running; then
    echo "localnet: already running at $LOCALNET_URL (pid $LOCALNET_PID); env: $ENV_FILE" >&2
    echo "$ENV_FILE"
    return 0
  fi
  local validator
  validator="$(bash scripts/install-validator.sh)"
  [ -f target/deploy/referral.so ] && [ -f target/deploy/demo_marketplace.so ] || bash scripts/build-sbf.sh >&2
  cargo build --locked -q -p referral-tests --bin localnet_fixtures -p referral-cli >&2
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/referral-localnet.XXXXXX")"
  "$CARGO_TARGET_DIR/debug/localnet_fixtures" "$dir" >/dev/null
  echo "localnet: starting $("$validator" --version) on 127.0.0.1:$PORT, ledger $dir/ledger" >&2
  # Loopback only; gossip and the TPU on a small port range of their own; the genesis accounts of
  # localnet_fixtures (funded wallets, NFTs with their metadata).
  setsid "$validator" --ledger "$dir/ledger" --bind-address 127.0.0.1 --rpc-port "$PORT" \
    --faucet-port "$((PORT + 1001))" --gossip-port "$((PORT + 1100))" \
    --dynamic-port-range "$((PORT + 1101))-$((PORT + 1140))" \
    --account-dir "$dir/accounts" --quiet >"$dir/validator.log" 2>&1 &
  local pid=$!
  mkdir -p "$STATE"
  {
    echo "LOCALNET_URL=http://127.0.0.1:$PORT"
    echo "LOCALNET_DIR=$dir"
    echo "LOCALNET_PID=$pid"
  } >"$ENV_FILE"
  local waited=0
  until rpc getHealth 2>/dev/null | grep -q '"ok"'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "localnet: the validator exited; its log ($dir/validator.log) ends with:" >&2
      tail -20 "$dir/validator.log" >&2 || true
      exit 1
    fi
    if [ "$waited" -ge 120 ]; then
      echo "localnet: no answer from 127.0.0.1:$PORT after 120 s; see $dir/validator.log" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "localnet: answering after ${waited} s" >&2
  local t0
  t0=$(date +%s)
  bash migrations/deploy.sh --url "http://127.0.0.1:$PORT" --keypair "$dir/wallets/admin.json" \
    --hub-config "$dir/hub.toml" --output json >"$dir/deploy.json"
  local hub
  hub=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hub"])' "$dir/deploy.json")
  echo "LOCALNET_HUB=$hub" >>"$ENV_FILE"
  echo "localnet: programs deployed and hub $hub created in $(( $(date +%s) - t0 )) s" >&2
  echo "$ENV_FILE"
}

stop() {
  if running; then
    kill "$LOCALNET_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$LOCALNET_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$LOCALNET_PID" 2>/dev/null || true
    case "$LOCALNET_DIR" in */referral-localnet.*) rm -rf "$LOCALNET_DIR" ;; esac
    echo "localnet: stopped" >&2
  else
    echo "localnet: not running" >&2
  fi
  rm -f "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "running at $LOCALNET_URL (pid $LOCALNET_PID, dir $LOCALNET_DIR, hub ${LOCALNET_HUB:-none})"
    else echo "not running"; exit 1; fi ;;
  *) echo "usage: scripts/localnet.sh start|stop|status" >&2; exit 2 ;;
esac
