#!/usr/bin/env bash
# Install a real local Solana node, `solana-test-validator`, from the `agave-validator` crate on crates.io
# (issue 12). Solana's release tarballs come from GitHub, which the machines of this project do not reach,
# so the validator is built from source once and kept under ~/.cache, like the cargo target dir.
#
# The version is pinned to the agave line the tests use (solana-program-test 4.2.2 in Cargo.lock): the node
# runs the same SVM, loaders and feature set as the tests, and accepts our SBPF v3 binaries.
#
#   scripts/install-validator.sh          # prints the path of the installed solana-test-validator
#
# First run: ~30-40 min on a 2-core machine (apt-get installs libclang-dev for rocksdb's bindgen). Later runs:
# instant. An interrupted build resumes: its target dir is kept under ~/.cache until the install succeeds.
set -euo pipefail

AGAVE_VERSION="4.2.2"                 # == solana-program-test in Cargo.lock (checked below)
CACHE="${REFERRAL_CACHE:-$HOME/.cache/referral-protocol}"
PREFIX="$CACHE/agave-$AGAVE_VERSION"
BIN="$PREFIX/bin/solana-test-validator"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCKED=$(awk '/^name = "solana-program-test"$/ { getline; gsub(/[^0-9.]/, ""); print }' "$ROOT/Cargo.lock")
if [ "$LOCKED" != "$AGAVE_VERSION" ]; then
  echo "install-validator: Cargo.lock has solana-program-test $LOCKED but this script pins agave $AGAVE_VERSION;" \
       "update AGAVE_VERSION so the node and the tests run the same agave line" >&2
  exit 1
fi

if [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -q " $AGAVE_VERSION "; then
  echo "$BIN"
  exit 0
fi

# rocksdb's bindgen needs libclang; the C++ parts need a C++ compiler (Debian's g++ is on these machines).
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*/libclang-[0-9]*.so* >/dev/null 2>&1; then
  echo "install-validator: installing libclang-dev from Debian" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-dev >&2
fi

echo "install-validator: building agave-validator $AGAVE_VERSION from crates.io into $PREFIX (~30-40 min once)" >&2
START=$(date +%s)
# A target dir of its own (not the project's: different features and profile), kept until success so an
# interrupted CI run resumes where it stopped.
CARGO_TARGET_DIR="$CACHE/agave-build" cargo install agave-validator --version "=$AGAVE_VERSION" --locked \
  --root "$PREFIX" --bin solana-test-validator >&2
rm -rf "$CACHE/agave-build"
echo "install-validator: built in $(( $(date +%s) - START )) s" >&2
"$BIN" --version >&2
echo "$BIN"
