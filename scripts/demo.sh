#!/usr/bin/env bash
# The README's first command: build the SBF programs, then run `referral demo` (a whole referral economy on
# an embedded bank with the real binaries). Extra arguments go to the demo (e.g. `--output json`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/build-sbf.sh >&2
cargo build --locked -q -p referral-cli >&2
exec "${CARGO_TARGET_DIR:-$ROOT/target}/debug/referral" demo "$@"
