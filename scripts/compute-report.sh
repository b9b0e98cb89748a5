#!/usr/bin/env bash
# Measures every instruction on the SBF binary (solana-program-test 4.2.2) and writes docs/COMPUTE.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/build-sbf.sh
RUST_LOG=error cargo run --locked -q -p referral-tests --bin compute_report
