//! Poly1305 (RFC 8439 section 2.5) with five 26-bit limbs, so every product fits a u64: wasm32 has
//! 64-bit integers but no 128-bit multiply.

use crate::chacha20::read_le32;

pub const KEY_LEN: usize = 32;
pub const TAG_LEN: usize = 16;
const LIMB: u32 = 0x3ff_ffff;

pub struct Poly1305 {
    r: [u32; 5],
    /// r squared, for two blocks at a time (poly1305_simd.rs).
    r2: [u32; 5],
    pad: [u32; 4],
    h: [u32; 5],
    pending: [u8; 16],
    pending_len: usize,
}

impl Poly1305 {
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        // r is clamped as the RFC requires, then split into 26-bit limbs.
        let r = [
            read_le32(key, 0) & 0x3ff_ffff,
            (read_le32(key, 3) >> 2) & 0x3ff_ff03,
            (read_le32(key, 6) >> 4) & 0x3ff_c0ff,
            (read_le32(key, 9) >> 6) & 0x3f0_3fff,
            (read_le32(key, 12) >> 8) & 0x00f_ffff,
        ];
        let pad = [
            read_le32(key, 16),
            read_le32(key, 20),
            read_le32(key, 24),
            read_le32(key, 28),
        ];
        Poly1305 {
            r,
            r2: square(&r),
            pad,
            h: [0; 5],
            pending: [0; 16],
            pending_len: 0,
        }
    }

    /// Absorbs whole 16-byte blocks; `high_bit` is 1 << 24 for message blocks, 0 for the padded last
    /// one (whose 0x01 byte is already in place). The accumulator stays in locals for the whole run.
    fn blocks(&mut self, mut data: &[u8], high_bit: u32) {
        if high_bit != 0 {
            let done = crate::poly1305_simd::pairs(&mut self.h, &self.r, &self.r2, data);
            data = &data[done..];
        }
        let [r0, r1, r2, r3, r4] = self.r;
        let (s1, s2, s3, s4) = (r1 * 5, r2 * 5, r3 * 5, r4 * 5);
        let [mut h0, mut h1, mut h2, mut h3, mut h4] = self.h;
        let m = |a: u32, b: u32| a as u64 * b as u64;
        for block in data.chunks_exact(16) {
            let word = |at: usize| {
                u32::from_le_bytes([block[at], block[at + 1], block[at + 2], block[at + 3]])
            };
            let (w0, w1, w2, w3) = (word(0), word(4), word(8), word(12));
            h0 += w0 & LIMB;
            h1 += ((w0 >> 26) | (w1 << 6)) & LIMB;
            h2 += ((w1 >> 20) | (w2 << 12)) & LIMB;
            h3 += ((w2 >> 14) | (w3 << 18)) & LIMB;
            h4 += (w3 >> 8) | high_bit;
            let d0 = m(h0, r0) + m(h1, s4) + m(h2, s3) + m(h3, s2) + m(h4, s1);
            let mut d1 = m(h0, r1) + m(h1, r0) + m(h2, s4) + m(h3, s3) + m(h4, s2);
            let mut d2 = m(h0, r2) + m(h1, r1) + m(h2, r0) + m(h3, s4) + m(h4, s3);
            let mut d3 = m(h0, r3) + m(h1, r2) + m(h2, r1) + m(h3, r0) + m(h4, s4);
            let mut d4 = m(h0, r4) + m(h1, r3) + m(h2, r2) + m(h3, r1) + m(h4, r0);
            d1 += d0 >> 26;
            d2 += d1 >> 26;
            d3 += d2 >> 26;
            d4 += d3 >> 26;
            // 2^130 = 5 (mod p): what overflowed the top limb comes back in at the bottom, times five.
            let low = (d0 & LIMB as u64) + (d4 >> 26) * 5;
            h0 = low as u32 & LIMB;
            h1 = (d1 as u32 & LIMB) + (low >> 26) as u32;
            h2 = d2 as u32 & LIMB;
            h3 = d3 as u32 & LIMB;
            h4 = d4 as u32 & LIMB;
        }
        self.h = [h0, h1, h2, h3, h4];
    }

    pub fn update(&mut self, mut data: &[u8]) {
        if self.pending_len > 0 {
            let take = core::cmp::min(16 - self.pending_len, data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < 16 {
                return;
            }
            let whole = self.pending;
            self.blocks(&whole, 1 << 24);
            self.pending_len = 0;
        }
        let whole = data.len() & !15;
        self.blocks(&data[..whole], 1 << 24);
        data = &data[whole..];
        self.pending[..data.len()].copy_from_slice(data);
        self.pending_len = data.len();
    }

    /// Absorbs zeros up to the next 16-byte boundary, as the AEAD's padding fields require.
    pub fn pad_to_block(&mut self) {
        if self.pending_len > 0 {
            let zeros = [0u8; 16];
            self.update(&zeros[..16 - self.pending_len]);
        }
    }

    pub fn finish(mut self) -> [u8; TAG_LEN] {
        if self.pending_len > 0 {
            let mut last = [0u8; 16];
            last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            last[self.pending_len] = 1;
            self.blocks(&last, 0);
        }
        // Carry fully, then compute h - p and keep it if that did not go negative (without branching).
        let mut h = self.h;
        for i in 1..5 {
            h[i] += h[i - 1] >> 26;
            h[i - 1] &= LIMB;
        }
        h[0] += (h[4] >> 26) * 5;
        h[4] &= LIMB;
        h[1] += h[0] >> 26;
        h[0] &= LIMB;
        let mut g = [0u32; 5];
        let mut carry = 5u32;
        for i in 0..4 {
            let sum = h[i] + carry;
            g[i] = sum & LIMB;
            carry = sum >> 26;
        }
        g[4] = h[4].wrapping_add(carry).wrapping_sub(1 << 26);
        let keep_g = (g[4] >> 31).wrapping_sub(1); // all ones when g >= 0
        for i in 0..5 {
            h[i] = (h[i] & !keep_g) | (g[i] & keep_g);
        }
        // h mod 2^128 as four 32-bit words, plus the pad.
        let words = [
            h[0] | (h[1] << 26),
            (h[1] >> 6) | (h[2] << 20),
            (h[2] >> 12) | (h[3] << 14),
            (h[3] >> 18) | (h[4] << 8),
        ];
        let mut tag = [0u8; TAG_LEN];
        let mut carry = 0u64;
        for i in 0..4 {
            let sum = words[i] as u64 + self.pad[i] as u64 + carry;
            tag[4 * i..4 * i + 4].copy_from_slice(&(sum as u32).to_le_bytes());
            carry = sum >> 32;
        }
        tag
    }
}

/// r * r mod 2^130 - 5, every limb below 2^26.
fn square(r: &[u32; 5]) -> [u32; 5] {
    let m = |a: u32, b: u32| a as u64 * b as u64;
    let [r0, r1, r2, r3, r4] = *r;
    let (s1, s2, s3, s4) = (r1 * 5, r2 * 5, r3 * 5, r4 * 5);
    let d = [
        m(r0, r0) + m(r1, s4) + m(r2, s3) + m(r3, s2) + m(r4, s1),
        m(r0, r1) + m(r1, r0) + m(r2, s4) + m(r3, s3) + m(r4, s2),
        m(r0, r2) + m(r1, r1) + m(r2, r0) + m(r3, s4) + m(r4, s3),
        m(r0, r3) + m(r1, r2) + m(r2, r1) + m(r3, r0) + m(r4, s4),
        m(r0, r4) + m(r1, r3) + m(r2, r2) + m(r3, r1) + m(r4, r0),
    ];
    let mut limbs = [0u64; 5];
    let mut carry = 0u64;
    for i in 0..5 {
        let value = d[i] + carry;
        limbs[i] = value & LIMB as u64;
        carry = value >> 26;
    }
    limbs[0] += carry * 5;
    limbs[1] += limbs[0] >> 26;
    limbs[0] &= LIMB as u64;
    // One more pass: limbs[1] may exceed 2^26 by the carry from limbs[0]'s wrap-around.
    let mut out = [0u32; 5];
    let mut carry = 0u64;
    for i in 0..5 {
        let value = limbs[i] + carry;
        out[i] = (value & LIMB as u64) as u32;
        carry = value >> 26;
    }
    out[0] += (carry * 5) as u32;
    out
}

pub fn mac(key: &[u8; KEY_LEN], message: &[u8]) -> [u8; TAG_LEN] {
    let mut poly = Poly1305::new(key);
    poly.update(message);
    poly.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::hex;

    #[test]
    fn tag_matches_rfc8439_2_5_2() {
        let key: [u8; 32] = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b")
            .try_into()
            .unwrap();
        assert_eq!(
            mac(&key, b"Cryptographic Forum Research Group").to_vec(),
            hex("a8061dc1305136c6c22b8baf0c0127a9")
        );
    }

    #[test]
    fn feeding_in_pieces_gives_the_same_tag() {
        let key = [0x5au8; 32];
        let message: std::vec::Vec<u8> = (0..200u32).map(|i| (i * 13) as u8).collect();
        let whole = mac(&key, &message);
        for split in 0..message.len() {
            let mut poly = Poly1305::new(&key);
            poly.update(&message[..split]);
            poly.update(&message[split..]);
            assert_eq!(poly.finish(), whole, "split at {split}");
        }
    }

    /// RFC 8439 A.3 #11 and #12 end with h near 2^130 - 5, exercising the final reduction.
    #[test]
    fn edge_vectors_of_rfc8439_a_3() {
        let key: [u8; 32] = hex("0200000000000000000000000000000000000000000000000000000000000000")
            .try_into()
            .unwrap();
        let message = hex("ffffffffffffffffffffffffffffffff");
        assert_eq!(
            mac(&key, &message).to_vec(),
            hex("03000000000000000000000000000000")
        );

        let key: [u8; 32] = hex("02000000000000000000000000000000ffffffffffffffffffffffffffffffff")
            .try_into()
            .unwrap();
        let message = hex("02000000000000000000000000000000");
        assert_eq!(
            mac(&key, &message).to_vec(),
            hex("03000000000000000000000000000000")
        );

        let key: [u8; 32] = hex("0100000000000000000000000000000000000000000000000000000000000000")
            .try_into()
            .unwrap();
        let message = hex(concat!(
            "ffffffffffffffffffffffffffffffff",
            "f0ffffffffffffffffffffffffffffff",
            "11000000000000000000000000000000"
        ));
        assert_eq!(
            mac(&key, &message).to_vec(),
            hex("05000000000000000000000000000000")
        );

        let key: [u8; 32] = hex("0100000000000000000000000000000000000000000000000000000000000000")
            .try_into()
            .unwrap();
        let message = hex(concat!(
            "ffffffffffffffffffffffffffffffff",
            "fbfefefefefefefefefefefefefefefe",
            "01010101010101010101010101010101"
        ));
        assert_eq!(
            mac(&key, &message).to_vec(),
            hex("00000000000000000000000000000000")
        );
    }
}
