#!/usr/bin/env bash
# The project's test command (README "Run the tests"; CI runs it through .ci/run):
#   1. builds the SBF binaries with the project's own toolchain script,
#   2. checks formatting and clippy (the program denies unwrap/expect/panic and unchecked arithmetic),
#   3. runs every test: pure maths on the host, integration tests on the SBF binary in
#      solana-program-test 4.2.2,
#   4. checks the committed IDLs (idl/) and docs/COMPUTE.md still match the code and the binary,
#   5. runs the end-to-end tests on a real local node (scripts/e2e.sh): the TypeScript client checked against
#      idl/, the CLI over RPC and the member's page in headless Chromium.
set -euo pipefail
START=$(date +%s)
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
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
RUST_LOG="${RUST_LOG:-error}" cargo test --workspace --locked 2>&1 | tee "$LOG"

step "idl/ is current (R-7.2)"
cargo run --locked -q -p idl-gen -- --check

step "docs/COMPUTE.md is current"
RUST_LOG=error cargo run --locked -q -p referral-tests --bin compute_report -- --check

step "end-to-end on a local validator (issue 12)"
E2E_LOG="$(mktemp)"
trap 'rm -f "$LOG" "$E2E_LOG"' EXIT
bash scripts/e2e.sh 2>&1 | tee "$E2E_LOG"

echo "test.sh: $(( $(date +%s) - START )) s in all"
# One closing line over every test binary (cargo prints one "test result" line per binary).
# node:test's spec reporter closes with "ℹ pass N", "ℹ fail N", "ℹ skipped N", "ℹ todo N".
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) g += $i } }
     /^ℹ pass / { p += $3; e += $3 } /^ℹ fail / { f += $3 } /^ℹ (skipped|todo) / { g += $3 }
     END { printf "\n%d passed (%d end-to-end), %d failed, %d skipped\n", p, e, f, g; if (p == 0 || e == 0 || f > 0 || g > 0) exit 1 }' "$LOG" "$E2E_LOG"
