//! ChaCha20 as RFC 8439 section 2.4 defines it: 32-bit block counter, 96-bit nonce.

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const BLOCK_LEN: usize = 64;

const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

pub(crate) fn read_le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The 16-word input block: constants, key, counter, nonce.
pub fn initial_state(key: &[u8; KEY_LEN], counter: u32, nonce: &[u8; NONCE_LEN]) -> [u32; 16] {
    let mut state = [0u32; 16];
    state[..4].copy_from_slice(&SIGMA);
    for i in 0..8 {
        state[4 + i] = read_le32(key, 4 * i);
    }
    state[12] = counter;
    for i in 0..3 {
        state[13 + i] = read_le32(nonce, 4 * i);
    }
    state
}

#[inline(always)]
fn quarter_round(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// One 64-byte keystream block for `state` (whose word 12 is the block counter).
pub fn block(state: &[u32; 16]) -> [u8; BLOCK_LEN] {
    let mut working = *state;
    twenty_rounds!(quarter_round, working);
    let mut out = [0u8; BLOCK_LEN];
    for i in 0..16 {
        let word = working[i].wrapping_add(state[i]);
        out[4 * i..4 * i + 4].copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// XORs `data` with the keystream that starts at block `counter`. The counter wraps after 2^32 blocks
/// (256 GiB), far beyond any frame; callers keep messages well below that.
pub fn xor_keystream(key: &[u8; KEY_LEN], counter: u32, nonce: &[u8; NONCE_LEN], data: &mut [u8]) {
    let mut state = initial_state(key, counter, nonce);
    let mut done = crate::chacha20_simd::xor_blocks_of_four(&mut state, data);
    // The tail (everything, without SIMD) in runs of four blocks: with SIMD that costs what one
    // scalar block does.
    let mut keystream = [0u8; 4 * BLOCK_LEN];
    while done < data.len() {
        crate::chacha20_simd::keystream_four(&state, &mut keystream);
        let end = core::cmp::min(done + keystream.len(), data.len());
        for (byte, key_byte) in data[done..end].iter_mut().zip(keystream.iter()) {
            *byte ^= *key_byte;
        }
        state[12] = state[12].wrapping_add(4);
        done = end;
    }
}

/// Blocks 0 to 3 of the keystream for `key` and `nonce`: the AEAD takes its Poly1305 key from block 0
/// and encrypts with the rest, so one run of four serves both.
pub fn first_four_blocks(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN]) -> [u8; 4 * BLOCK_LEN] {
    let mut keystream = [0u8; 4 * BLOCK_LEN];
    crate::chacha20_simd::keystream_four(&initial_state(key, 0, nonce), &mut keystream);
    keystream
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::hex;

    fn key_0_to_31() -> [u8; 32] {
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = i as u8;
        }
        key
    }

    #[test]
    fn quarter_round_matches_rfc8439_2_1_1() {
        let mut x = [0u32; 16];
        x[0] = 0x1111_1111;
        x[1] = 0x0102_0304;
        x[2] = 0x9b8d_6f43;
        x[3] = 0x0123_4567;
        quarter_round(&mut x, 0, 1, 2, 3);
        assert_eq!(
            &x[..4],
            &[0xea2a_92f4, 0xcb1c_f8ce, 0x4581_472e, 0x5881_c4bb]
        );
    }

    #[test]
    fn block_matches_rfc8439_2_3_2() {
        let nonce: [u8; 12] = hex("000000090000004a00000000").try_into().unwrap();
        let state = initial_state(&key_0_to_31(), 1, &nonce);
        let expected = hex(concat!(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e",
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
        ));
        assert_eq!(block(&state).to_vec(), expected);
    }

    #[test]
    fn encryption_matches_rfc8439_2_4_2() {
        let nonce: [u8; 12] = hex("000000000000004a00000000").try_into().unwrap();
        let mut data = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".to_vec();
        xor_keystream(&key_0_to_31(), 1, &nonce, &mut data);
        let expected = hex(concat!(
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b",
            "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8",
            "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736",
            "5af90bbf74a35be6b40b8eedf2785e42874d"
        ));
        assert_eq!(data, expected);
    }

    #[test]
    fn keystream_is_its_own_inverse_at_every_length() {
        let nonce = [7u8; 12];
        for length in 0..300 {
            let original: std::vec::Vec<u8> = (0..length).map(|i| (i * 31 + 7) as u8).collect();
            let mut data = original.clone();
            xor_keystream(&key_0_to_31(), 5, &nonce, &mut data);
            if length > 0 {
                assert_ne!(data, original);
            }
            xor_keystream(&key_0_to_31(), 5, &nonce, &mut data);
            assert_eq!(data, original);
        }
    }
}
