#!/usr/bin/env bash
# Deploy script (SPEC R-7.6): deploys both programs through the upgradeable loader to an RPC URL with a
# keypair (the payer and upgrade authority), then creates a hub from a config file through the referral
# program:
#
#   migrations/deploy.sh --url http://127.0.0.1:8899 --keypair ~/.config/solana/id.json \
#       --hub-config migrations/hub.example.toml [--dry-run] [--output json]
#
#   1. target/deploy/demo_marketplace.so at keys/demo_marketplace-keypair.json's id (left as it is when it
#      is already deployed: the marketplace is an example, the referral program is the product),
#   2. target/deploy/referral.so at keys/referral-keypair.json's id, then the hub from --hub-config.
#
# Arguments are those of `referral deploy` (see `referral deploy --help`); --url/--keypair/--output apply
# to both deploys, the others to the referral program's. The cluster must accept SBPF v3 programs
# (agave 4.x). The program ids are development keys (docs/DECISIONS.md D-6).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f target/deploy/referral.so ] && [ -f target/deploy/demo_marketplace.so ] || bash scripts/build-sbf.sh >&2
cargo build --locked -q -p referral-cli >&2
REFERRAL="${CARGO_TARGET_DIR:-$ROOT/target}/debug/referral"

# The options every command shares, for the marketplace's deploy.
COMMON=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --url|-u|--keypair|-k|--output|-o) COMMON+=("${args[$i]}" "${args[$((i + 1))]:-}"); i=$((i + 1)) ;;
    --url=*|--keypair=*|--output=*|--dry-run) COMMON+=("${args[$i]}") ;;
  esac
done

"$REFERRAL" "${COMMON[@]}" deploy --program-so target/deploy/demo_marketplace.so \
  --program-keypair keys/demo_marketplace-keypair.json --skip-existing >&2
exec "$REFERRAL" deploy "$@"
