#!/usr/bin/env bash
# Builds the Rust crate in wasm/ for wasm32-unknown-unknown with Debian's toolchain (rustup has no wasm32
# target here; see DESIGN.md), puts the module beside the crate, where it is committed, and regenerates
# core/gloeth/wasm/module_bytes.gen.ts, which embeds it. WASM_BUILD names another build command (one
# that leaves wasm/target/wasm32-unknown-unknown/release/gloeth_frame_path.wasm) for a machine without
# Debian's wasm32 std.
set -euo pipefail
cd "$(dirname "$0")/.."
built=wasm/target/wasm32-unknown-unknown/release/gloeth_frame_path.wasm
if [ -n "${WASM_BUILD:-}" ]; then
  bash -c "$WASM_BUILD"
elif [ -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  # From inside wasm/: cargo reads .cargo/config.toml (simd128) relative to where it runs, not to the manifest.
  (cd wasm && PATH=/usr/bin:$PATH cargo build --offline --release --target wasm32-unknown-unknown)
else
  echo "wasm: Debian's wasm32 std is missing: apt-get install rustc cargo libstd-rust-dev-wasm32" >&2
  exit 1
fi
cp "$built" wasm/gloeth_frame_path.wasm
PATH="$PWD/node_modules/.bin:$PATH" deno run --allow-read --allow-write scripts/gen_wasm_module.ts
