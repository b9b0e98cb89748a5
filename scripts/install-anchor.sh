#!/usr/bin/env bash
# Install anchor-cli 1.2.2 (crates.io) so that `anchor build` / `anchor test` work in this workspace as Anchor
# users expect (issue 12):
#   - anchor-cli is built once into ~/.cache/referral-protocol/anchor-1.2.2 (about 15 min on 2 cores);
#   - beside it, `cargo-build-sbf` is the project's shim (scripts/anchor/cargo-build-sbf): Solana's own
#     cargo-build-sbf downloads platform-tools from GitHub, which these machines do not reach, so
#     `anchor build` builds through scripts/build-sbf.sh instead (the same SBPF v3 binaries);
#   - both are linked into ~/.cargo/bin (on PATH with rustup) unless a different one is already there.
# Prints the bin directory. Anchor.toml runs scripts/test.sh as the test script; the test script starts its
# own local validator (skip_local_validator = true), as it does without Anchor.
set -euo pipefail
ANCHOR_VERSION="1.2.2"                # == anchor-lang in Cargo.lock and [toolchain] in Anchor.toml
CACHE="${REFERRAL_CACHE:-$HOME/.cache/referral-protocol}"
PREFIX="$CACHE/anchor-$ANCHOR_VERSION"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! [ -x "$PREFIX/bin/anchor" ] || ! "$PREFIX/bin/anchor" --version 2>/dev/null | grep -q "$ANCHOR_VERSION"; then
  echo "install-anchor: building anchor-cli $ANCHOR_VERSION from crates.io into $PREFIX (~15 min once)" >&2
  START=$(date +%s)
  CARGO_TARGET_DIR="$CACHE/anchor-build" cargo install anchor-cli --version "=$ANCHOR_VERSION" --locked \
    --root "$PREFIX" >&2
  rm -rf "$CACHE/anchor-build"
  echo "install-anchor: built in $(( $(date +%s) - START )) s" >&2
fi
install -m 0755 "$ROOT/scripts/anchor/cargo-build-sbf" "$PREFIX/bin/cargo-build-sbf"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
mkdir -p "$CARGO_BIN"
for tool in anchor cargo-build-sbf; do
  target="$CARGO_BIN/$tool"
  if [ -e "$target" ] && [ "$(readlink -f "$target")" != "$(readlink -f "$PREFIX/bin/$tool")" ]; then
    echo "install-anchor: $target exists and is not ours; left as it is (put $PREFIX/bin first on PATH)" >&2
  else
    ln -sfn "$PREFIX/bin/$tool" "$target"
  fi
done
"$PREFIX/bin/anchor" --version >&2
echo "$PREFIX/bin"
