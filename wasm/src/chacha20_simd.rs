//! ChaCha20 four blocks at a time with wasm's 128-bit SIMD: each vector holds one state word of four
//! consecutive blocks, so a quarter round works on all four at once. Measured in DESIGN.md at about 1.5×
//! the scalar code. Without simd128 (native test builds) nothing is done here and the scalar loop in
//! chacha20.rs covers everything; keystream_four is then four scalar blocks.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod four_blocks {
    use core::arch::wasm32::*;

    const FOUR_BLOCKS: usize = 256;

    #[inline(always)]
    fn rotate(x: v128, bits: u32) -> v128 {
        v128_or(u32x4_shl(x, bits), u32x4_shr(x, 32 - bits))
    }

    // Rotations by whole bytes are one byte shuffle instead of two shifts and an OR.
    #[inline(always)]
    fn rotate_16(x: v128) -> v128 {
        i8x16_shuffle::<2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13>(x, x)
    }

    #[inline(always)]
    fn rotate_8(x: v128) -> v128 {
        i8x16_shuffle::<3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14>(x, x)
    }

    #[inline(always)]
    fn quarter_round(x: &mut [v128; 16], a: usize, b: usize, c: usize, d: usize) {
        x[a] = u32x4_add(x[a], x[b]);
        x[d] = rotate_16(v128_xor(x[d], x[a]));
        x[c] = u32x4_add(x[c], x[d]);
        x[b] = rotate(v128_xor(x[b], x[c]), 12);
        x[a] = u32x4_add(x[a], x[b]);
        x[d] = rotate_8(v128_xor(x[d], x[a]));
        x[c] = u32x4_add(x[c], x[d]);
        x[b] = rotate(v128_xor(x[b], x[c]), 7);
    }

    /// Lane b of the four inputs (one word of four blocks each) becomes vector b: four consecutive words
    /// of block b, ready to XOR over 16 bytes of that block's data.
    #[inline(always)]
    fn transpose(a: v128, b: v128, c: v128, d: v128) -> [v128; 4] {
        let ab_low = i32x4_shuffle::<0, 4, 1, 5>(a, b);
        let ab_high = i32x4_shuffle::<2, 6, 3, 7>(a, b);
        let cd_low = i32x4_shuffle::<0, 4, 1, 5>(c, d);
        let cd_high = i32x4_shuffle::<2, 6, 3, 7>(c, d);
        [
            i32x4_shuffle::<0, 1, 4, 5>(ab_low, cd_low),
            i32x4_shuffle::<2, 3, 6, 7>(ab_low, cd_low),
            i32x4_shuffle::<0, 1, 4, 5>(ab_high, cd_high),
            i32x4_shuffle::<2, 3, 6, 7>(ab_high, cd_high),
        ]
    }

    /// The keystream of the four blocks from `state`'s counter on, as four rows per 64-byte block:
    /// `rows[4 * block + group]` covers bytes 16 * group .. 16 * group + 16 of that block.
    #[inline(always)]
    fn four_blocks(state: &[u32; 16]) -> [v128; 16] {
        let mut input = [u32x4_splat(0); 16];
        for (word, vector) in input.iter_mut().enumerate() {
            *vector = u32x4_splat(state[word]);
        }
        let counter = state[12];
        input[12] = u32x4(
            counter,
            counter.wrapping_add(1),
            counter.wrapping_add(2),
            counter.wrapping_add(3),
        );
        let mut x = input;
        twenty_rounds!(quarter_round, x);
        for word in 0..16 {
            x[word] = u32x4_add(x[word], input[word]);
        }
        let mut rows = [u32x4_splat(0); 16];
        for group in 0..4 {
            let w = 4 * group;
            let transposed = transpose(x[w], x[w + 1], x[w + 2], x[w + 3]);
            for (block, row) in transposed.iter().enumerate() {
                rows[4 * block + group] = *row;
            }
        }
        rows
    }

    /// XORs every whole 256-byte run of `data` with the keystream, advancing the block counter in
    /// `state` past the blocks used; returns how many bytes it covered.
    pub fn xor_blocks_of_four(state: &mut [u32; 16], data: &mut [u8]) -> usize {
        let mut done = 0;
        while data.len() - done >= FOUR_BLOCKS {
            let rows = four_blocks(state);
            let run = &mut data[done..done + FOUR_BLOCKS];
            for (index, row) in rows.iter().enumerate() {
                let bytes = &mut run[16 * index..16 * index + 16];
                // SAFETY: `bytes` is exactly 16 in-bounds bytes; wasm loads and stores need no alignment.
                unsafe {
                    let pointer = bytes.as_mut_ptr() as *mut v128;
                    v128_store(pointer, v128_xor(v128_load(pointer), *row));
                }
            }
            state[12] = state[12].wrapping_add(4);
            done += FOUR_BLOCKS;
        }
        done
    }

    /// The keystream of four blocks from `state`'s counter on.
    pub fn keystream_four(state: &[u32; 16], out: &mut [u8; FOUR_BLOCKS]) {
        let rows = four_blocks(state);
        for (index, row) in rows.iter().enumerate() {
            // SAFETY: 16 in-bounds bytes of `out`.
            unsafe { v128_store(out[16 * index..].as_mut_ptr() as *mut v128, *row) };
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use four_blocks::{keystream_four, xor_blocks_of_four};

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn xor_blocks_of_four(_state: &mut [u32; 16], _data: &mut [u8]) -> usize {
    0
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn keystream_four(state: &[u32; 16], out: &mut [u8; 256]) {
    let mut block_state = *state;
    for block in out.chunks_exact_mut(64) {
        block.copy_from_slice(&crate::chacha20::block(&block_state));
        block_state[12] = block_state[12].wrapping_add(1);
    }
}
