//! gloeth's frame path, built for wasm32-unknown-unknown and called from TypeScript (see README.md).
//! Native builds exist only for `cargo test`.
#![cfg_attr(target_arch = "wasm32", no_std)]
// Debian's rustc is 1.63: no `is_some_and`, so `map_or(false, ...)` stays.
#![allow(clippy::unnecessary_map_or, clippy::manual_is_multiple_of)]

/// ChaCha20's twenty rounds over `$state` with `$quarter_round`: ten double rounds of four columns, then
/// four diagonals. A macro, so the scalar and the SIMD block share the schedule while every index stays a
/// constant in the code (a loop over a table of indices ran the SIMD block at two thirds of the speed).
macro_rules! twenty_rounds {
    ($quarter_round:ident, $state:ident) => {
        for _ in 0..10 {
            $quarter_round(&mut $state, 0, 4, 8, 12);
            $quarter_round(&mut $state, 1, 5, 9, 13);
            $quarter_round(&mut $state, 2, 6, 10, 14);
            $quarter_round(&mut $state, 3, 7, 11, 15);
            $quarter_round(&mut $state, 0, 5, 10, 15);
            $quarter_round(&mut $state, 1, 6, 11, 12);
            $quarter_round(&mut $state, 2, 7, 8, 13);
            $quarter_round(&mut $state, 3, 4, 9, 14);
        }
    };
}

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
