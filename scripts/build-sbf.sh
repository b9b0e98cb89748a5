#!/usr/bin/env bash
# Build the workspace's Solana programs into real SBPF v3 ELFs without Solana's platform-tools.
#
# Solana's usual path (`cargo build-sbf`, `anchor build`) downloads platform-tools from GitHub, which the
# machines of this project do not reach. This script builds from crates.io and the Rust dist server alone:
#   1. a pinned nightly with rust-src (LLVM 23, which sbpf-linker needs),
#   2. sbpf-linker (pinned), which links LLVM bitcode into an SBPF v3 ELF,
#   3. std built from a patched COPY of the nightly's rust-src (two patches, see below),
#   4. `cargo build -Zbuild-std` for the custom target in scripts/sbf/sbpf-solana.json.
# Output: target/deploy/<program>.so for every program named below, checked to be ELF64 / e_machine 247
# (BPF) / e_flags 3 (SBPF v3). Rebuilds are byte-identical. CU figures depend on the exact nightly and
# linker versions: change them only together with docs/COMPUTE.md (`scripts/compute-report.sh`).
#
# Usage: scripts/build-sbf.sh [program ...]     (default: every program in programs/ that is built here)
#        A program may be given as <package>+<feature>=<output name>: built with that cargo feature into
#        target/deploy/<output name>.so (the marketplace's benchmark build, demo_marketplace_bench.so).
#        A program outside the workspace is given by its directory, <dir>=<output name> (its own workspace
#        and Cargo.lock): bench/anchor-v2-route-fee=referral_v2_bench, the measured option (b) of issue 9,
#        built only by scripts/compute-report.sh.
# Env:   CARGO_TARGET_DIR is respected (CI keeps it under ~/.cache); the .so files are always copied to
#        <repo>/target/deploy. The patched std copy is kept in ~/.cache/referral-sbf-std/<nightly>.
set -euo pipefail

NIGHTLY="nightly-2026-10-15"          # rustc 1.101.0-nightly (7df81381d 2026-10-14), LLVM 23.1.3
SBPF_LINKER_VERSION="0.2.6"
SOLANA_TARGET="sbpf-solana"           # the name of scripts/sbf/sbpf-solana.json

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROGRAMS=("$@")
if [ ${#PROGRAMS[@]} -eq 0 ]; then
  # The referral program with its own entrypoint for the per-trade path (docs/DECISIONS.md D-45).
  PROGRAMS=("referral+fast-entry=referral")
  # The deployed marketplace, and its benchmark build with `buy_plain` for the compute report only.
  [ -d programs/demo-marketplace ] && PROGRAMS+=(demo-marketplace "demo-marketplace+bench-plain-fee=demo_marketplace_bench")
  # Issue 9's option (b), measured beside the adopted build by the compute report (never deployed).
  [ -d bench/anchor-v2-route-fee ] && PROGRAMS+=("bench/anchor-v2-route-fee=referral_v2_bench")
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The patched std copy lives at one fixed place per user and nightly, NOT in the target dir: cargo hashes the
# absolute source path of std (a path dependency under -Zbuild-std) into its crate metadata, which feeds
# symbol names, LTO ordering and so the exact code and CU. A fixed path makes the .so identical for every
# checkout and target dir (checked: docs/DECISIONS.md D-2).
SBF_CACHE="${SBF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/referral-sbf-std/$NIGHTLY}"

say() { printf '[build-sbf] %s\n' "$*" >&2; }
die() { printf '[build-sbf] error: %s\n' "$*" >&2; exit 1; }

command -v rustup >/dev/null || die "rustup not found: install Rust with rustup first (https://rustup.rs)."

# 1. Pinned nightly with rust-src.
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1; then
  say "installing $NIGHTLY (minimal profile + rust-src)"
  rustup toolchain install "$NIGHTLY" --profile minimal -c rust-src
fi
SYSROOT="$(rustup run "$NIGHTLY" rustc --print sysroot)"
RUST_SRC="$SYSROOT/lib/rustlib/src/rust/library"
if [ ! -d "$RUST_SRC/std" ]; then
  say "adding rust-src to $NIGHTLY"
  rustup component add rust-src --toolchain "$NIGHTLY"
fi

# 2. Pinned sbpf-linker.
LINKER_BIN="$(command -v sbpf-linker || true)"
have_linker_version() {
  [ -n "$LINKER_BIN" ] && "$LINKER_BIN" --version 2>/dev/null | grep -q " $SBPF_LINKER_VERSION\b"
}
if ! have_linker_version; then
  say "installing sbpf-linker $SBPF_LINKER_VERSION (cargo install, ~1.5 min)"
  cargo install sbpf-linker --version "=$SBPF_LINKER_VERSION" --locked
  LINKER_BIN="$(command -v sbpf-linker || echo "${CARGO_HOME:-$HOME/.cargo}/bin/sbpf-linker")"
  have_linker_version || die "sbpf-linker $SBPF_LINKER_VERSION not usable after install ($LINKER_BIN)"
fi

# 3. Patched copy of rust-src (never edit the toolchain itself). Re-made when the stamp changes.
STAMP="$NIGHTLY/patches-v1"
if [ "$(cat "$SBF_CACHE/stamp" 2>/dev/null || true)" != "$STAMP" ]; then
  say "copying and patching rust-src into $SBF_CACHE"
  rm -rf "$SBF_CACHE"
  mkdir -p "$SBF_CACHE"
  cp -R "$RUST_SRC" "$SBF_CACHE/library"
  # patch FILE ANCHOR REPLACEMENT: replace ANCHOR, which must occur exactly once.
  patch_once() {
    python3 - "$@" <<'PY' || exit 1
import sys
path, anchor, replacement = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
n = text.count(anchor)
if n != 1:
    sys.exit(f"[build-sbf] error: patch anchor found {n} times (want 1) in {path}: {anchor!r}")
open(path, "w").write(text.replace(anchor, replacement))
PY
  }
  # (a) std's allocator has no MIN_ALIGN for bpf: put it in the 8-byte group.
  patch_once "$SBF_CACHE/library/std/src/sys/alloc/mod.rs" \
    '    target_arch = "xtensa",
)) {
    8' \
    '    target_arch = "xtensa",
    target_arch = "bpf",
)) {
    8'
  # (b) RandomState::new reads a thread-local (a writable global, which SBPF rejects); Anchor's duplicate
  #     mutable account check builds a HashSet, so this path is live. On bpf use fixed keys (there is no
  #     entropy on-chain anyway, and the set only ever holds the transaction's own account keys).
  patch_once "$SBF_CACHE/library/std/src/hash/random.rs" \
    '    pub fn new() -> RandomState {' \
    '    pub fn new() -> RandomState {
        #[cfg(target_arch = "bpf")]
        {
            return RandomState { k0: 0x736f6d6570736575, k1: 0x646f72616e646f6d };
        }
        #[allow(unreachable_code)]'
  echo "$STAMP" > "$SBF_CACHE/stamp"
fi

# 4. Build. Each flag fixes an error seen when building Anchor programs for SBPF (see ../shared/BUILD.md).
SBF_RUSTFLAGS=(
  -C linker=sbpf-linker -Zunstable-options -C panic=immediate-abort -C relocation-model=static
  -C passes=lower-atomic -C target-cpu=v4 -C target-feature=+allows-misaligned-mem-access
  -C link-arg=--arch=v3 -C link-arg=--deploy=false
  -C link-arg=--export=__multi3,__adddf3,__subdf3,__negdf2,__muldf3,__divdf3,__floatundidf,__fixunsdfdi,__gedf2,__gtdf2
  -C link-arg=--llvm-args=-bpf-stack-size=4096 -C link-arg=--llvm-args=--bpf-max-stores-per-memfunc=5
  -C link-arg=--llvm-args=--disable-gotox -C link-arg=--llvm-args=--disable-ldsx
  -C link-arg=--llvm-args=--disable-movsx -C link-arg=--llvm-args=--disable-bswap
  --cfg 'target_os="solana"' --cfg 'target_feature="static-syscalls"' -A explicit_builtin_cfgs_in_flags
  # Reproducibility: source paths end up in the binary (file!() in error paths, std's locations). Map the
  # checkout, the patched std copy (inside the target dir) and the cargo registry to fixed names, so the
  # .so -- and so the CU figures -- do not depend on where the repository, target dir or CARGO_HOME live.
  "--remap-path-prefix=$SBF_CACHE/library=/sbf-std/library"
  "--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
  "--remap-path-prefix=$ROOT=/workspace"
)
# One cargo invocation per program: cargo unifies features across the packages of one build, and the
# marketplace depends on the referral crate with `cpi` (= no-entrypoint), which must not leak into the
# referral binary itself. Each .so is copied right after its own build.
build_one() {
  local features=()
  [ -n "$2" ] && features=(--features "$2")
  local package=(-p "$1")
  [ -f "$1/Cargo.toml" ] && package=(--manifest-path "$1/Cargo.toml")
  say "building $1${2:+ (features: $2)} with $NIGHTLY for $SOLANA_TARGET"
  # The linker must be found by name; the toolchain's libLLVM is loaded by it at run time.
  PATH="$(dirname "$LINKER_BIN"):$PATH" \
  env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS \
    RUSTC_BOOTSTRAP_SYNTHETIC_TARGET=1 \
    __CARGO_TESTS_ONLY_SRC_ROOT="$SBF_CACHE/library" \
    CARGO_TARGET_DIR="$TARGET_DIR" \
    CARGO_ENCODED_RUSTFLAGS="$(IFS=$'\x1f'; echo "${SBF_RUSTFLAGS[*]}")" \
    cargo "+$NIGHTLY" build --release --locked "${package[@]}" ${features[@]+"${features[@]}"} \
      --target "$ROOT/scripts/sbf/$SOLANA_TARGET.json" -Zjson-target-spec \
      -Zbuild-std=std,panic_abort -Zbuild-std-features=
}

mkdir -p "$ROOT/target/deploy"
for spec in "${PROGRAMS[@]}"; do
  p="${spec%%+*}"
  feature=""
  out="${p//-/_}"
  lib="${p//-/_}"
  if [ "$spec" != "$p" ]; then
    rest="${spec#*+}"
    feature="${rest%%=*}"
    out="${rest#*=}"
  elif [ "${spec#*=}" != "$spec" ]; then
    p="${spec%%=*}"
    out="${spec#*=}"
    lib="$out"
  fi
  build_one "$p" "$feature"
  src="$TARGET_DIR/$SOLANA_TARGET/release/lib$lib.so"
  dst="$ROOT/target/deploy/$out.so"
  [ -f "$src" ] || die "expected $src after the build"
  cp "$src" "$dst"
  # ELF64 (class 2), little endian, e_machine 247 (BPF), e_flags 3 (SBPF v3), a non-zero entry point.
  python3 - "$dst" <<'PY' || die "$dst is not an SBPF v3 ELF"
import struct, sys
data = open(sys.argv[1], "rb").read()
b = data[:64]
ok = b[:4] == b"\x7fELF" and b[4] == 2 and b[5] == 1
if struct.unpack_from("<Q", b, 24)[0] == 0:
    sys.exit("e_entry is 0: no entrypoint (built with the no-entrypoint/cpi features?)")
machine = struct.unpack_from("<H", b, 18)[0]
flags = struct.unpack_from("<I", b, 48)[0]
if not (ok and machine == 247 and flags == 3):
    sys.exit(f"bad header: elf={ok} e_machine={machine} e_flags={flags}")
PY
  say "$dst: $(stat -c %s "$dst") bytes, sha256 $(sha256sum "$dst" | cut -c1-16)…, SBPF v3"
done
