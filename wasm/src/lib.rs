//! gloeth's frame path, built for wasm32-unknown-unknown and called from TypeScript (see README.md).
//! Native builds exist only for `cargo test`.
#![cfg_attr(target_arch = "wasm32", no_std)]
// Debian's rustc is 1.63: no `is_some_and`, so `map_or(false, ...)` stays.
#![allow(clippy::unnecessary_map_or, clippy::manual_is_multiple_of)]

pub mod aead;
pub mod chacha20;
mod chacha20_simd;
pub mod channel;
mod exports;
pub mod frame_header;
pub mod frame_path;
pub mod key_epochs;
pub mod mac_table;
pub mod node_slots;
pub mod poly1305;
mod poly1305_simd;
pub mod replay_window;
pub mod vnet_header;

#[cfg(test)]
mod test_support;

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
