#!/usr/bin/env bash
# Builds the Rust crate in wasm/ for wasm32-unknown-unknown with Debian's toolchain (rustup has no wasm32
# target here; see DESIGN.md) and copies the result beside the crate, where it is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f wasm/Cargo.toml ]; then
  echo "wasm: no crate in wasm/ yet (gloeth's frame path adds it)"
  exit 0
fi
if [ ! -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  echo "wasm: Debian's wasm32 std is missing: apt-get install rustc cargo libstd-rust-dev-wasm32" >&2
  exit 1
fi
export PATH=/usr/bin:$PATH
cargo build --offline --release --target wasm32-unknown-unknown --manifest-path wasm/Cargo.toml
cp wasm/target/wasm32-unknown-unknown/release/*.wasm wasm/
