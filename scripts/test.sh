#!/usr/bin/env bash
# The project's test command (README "Run the tests"; CI runs it through .ci/run):
#   1. builds the SBF binaries with the project's own toolchain script,
#   2. checks formatting and clippy (the program denies unwrap/expect/panic and unchecked arithmetic),
#   3. runs every test: pure maths on the host, integration tests on the SBF binary in
#      solana-program-test 4.2.2,
#   4. checks docs/COMPUTE.md still matches what the binary consumes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n==> %s\n' "$*"; }

step "SBF build"
bash scripts/build-sbf.sh

step "rustfmt"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
# program-test logs every instruction at debug level; keep the output to the test results.
RUST_LOG="${RUST_LOG:-error}" cargo test --workspace --locked

step "docs/COMPUTE.md is current"
RUST_LOG=error cargo run --locked -q -p referral-tests --bin compute_report -- --check
