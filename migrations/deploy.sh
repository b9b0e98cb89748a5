#!/usr/bin/env bash
# Deploy script (SPEC R-7.6): deploys target/deploy/referral.so through the upgradeable loader to an RPC URL
# with a keypair, then creates a hub from a config file.
#
#   migrations/deploy.sh --url http://127.0.0.1:8899 --keypair ~/.config/solana/id.json \
#       --hub-config migrations/hub.example.toml [--dry-run]
#
# All arguments are those of `referral deploy` (see `referral deploy --help`). The cluster must accept SBPF v3
# programs (agave 4.x). The program id is keys/referral-keypair.json (a development key; see
# docs/DECISIONS.md D-6).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f target/deploy/referral.so ] || bash scripts/build-sbf.sh >&2
cargo build --locked -q -p referral-cli >&2
exec "${CARGO_TARGET_DIR:-$ROOT/target}/debug/referral" deploy "$@"
