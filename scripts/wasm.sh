#!/usr/bin/env bash
# Builds the Rust crate in wasm/ for wasm32-unknown-unknown with Debian's toolchain (rustc 1.63, cargo,
# libstd-rust-dev-wasm32 and lld-14, whose lld is the rust-lld the wasm32 target links with; rustup has no
# wasm32 target here; see DESIGN.md), puts the module beside the crate, where it is committed, and
# regenerates core/gloeth/wasm/module_bytes.gen.ts, which embeds it. The build is reproducible: the same
# packages give the same bytes in any directory (no absolute path reaches the module). WASM_BUILD names
# another build command (one that leaves wasm/target/wasm32-unknown-unknown/release/gloeth_frame_path.wasm)
# for a machine without Debian's wasm32 std.
set -euo pipefail
cd "$(dirname "$0")/.."
built=wasm/target/wasm32-unknown-unknown/release/gloeth_frame_path.wasm
if [ -n "${WASM_BUILD:-}" ]; then
  bash -c "$WASM_BUILD"
elif [ -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  # rustc's rust-lld is /usr/bin/rust-lld -> lld-14, which the packages only recommend.
  if [ -z "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER:-}" ] && [ ! -x /usr/bin/rust-lld ]; then
    echo "wasm: rust-lld (lld-14) is missing: apt-get install lld-14" >&2
    exit 1
  fi
  # The crate has no dependencies, so its lockfile (not committed) holds nothing; one that a newer cargo
  # wrote as version 4 (Cargo.toml's rust-version keeps them at 3) would stop Debian's cargo.
  if grep -qx 'version = 4' wasm/Cargo.lock 2>/dev/null; then rm wasm/Cargo.lock; fi
  # From inside wasm/: cargo reads .cargo/config.toml (simd128) relative to where it runs, not to the manifest.
  (cd wasm && PATH=/usr/bin:$PATH cargo build --offline --release --target wasm32-unknown-unknown)
else
  echo "wasm: Debian's wasm32 std is missing: apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14" >&2
  exit 1
fi
cp "$built" wasm/gloeth_frame_path.wasm
PATH="$PWD/node_modules/.bin:$PATH" deno run --allow-read --allow-write scripts/gen_wasm_module.ts
