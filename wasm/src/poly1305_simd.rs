//! Poly1305 two blocks at a time with wasm's 128-bit SIMD: lane A takes the even blocks, lane B the odd
//! ones, each multiplied by r^2 per step, and the last step by r^2 and r, so that the lanes' sum is what
//! the block-by-block loop gives. Products of 26-bit limbs come from u64x2_extmul_low_u32x4, two at a
//! time. Without simd128 (native test builds) nothing is done here and poly1305.rs covers everything.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod two_lanes {
    use core::arch::wasm32::*;

    const LIMB: u32 = 0x3ff_ffff;

    #[inline(always)]
    fn mul(a: v128, b: v128) -> v128 {
        u64x2_extmul_low_u32x4(a, b)
    }

    /// Lanes 0 and 1 of each u64 lane's low half, as u32 lanes 0 and 1 (for the next multiply).
    #[inline(always)]
    fn narrow(x: v128) -> v128 {
        i32x4_shuffle::<0, 2, 0, 2>(x, x)
    }

    /// (h + m) * r for both lanes at once; limbs in u32 lanes 0 and 1, result partly reduced.
    #[inline(always)]
    fn multiply(h: [v128; 5], r: [v128; 5], s: [v128; 5]) -> [v128; 5] {
        let [h0, h1, h2, h3, h4] = h;
        let [r0, r1, r2, r3, r4] = r;
        let [_, s1, s2, s3, s4] = s;
        let add = u64x2_add;
        let d0 = add(
            add(add(add(mul(h0, r0), mul(h1, s4)), mul(h2, s3)), mul(h3, s2)),
            mul(h4, s1),
        );
        let mut d1 = add(
            add(add(add(mul(h0, r1), mul(h1, r0)), mul(h2, s4)), mul(h3, s3)),
            mul(h4, s2),
        );
        let mut d2 = add(
            add(add(add(mul(h0, r2), mul(h1, r1)), mul(h2, r0)), mul(h3, s4)),
            mul(h4, s3),
        );
        let mut d3 = add(
            add(add(add(mul(h0, r3), mul(h1, r2)), mul(h2, r1)), mul(h3, r0)),
            mul(h4, s4),
        );
        let mut d4 = add(
            add(add(add(mul(h0, r4), mul(h1, r3)), mul(h2, r2)), mul(h3, r1)),
            mul(h4, r0),
        );
        let mask = u64x2_splat(LIMB as u64);
        d1 = add(d1, u64x2_shr(d0, 26));
        d2 = add(d2, u64x2_shr(d1, 26));
        d3 = add(d3, u64x2_shr(d2, 26));
        d4 = add(d4, u64x2_shr(d3, 26));
        let top = u64x2_shr(d4, 26);
        let low = add(add(v128_and(d0, mask), top), u64x2_shl(top, 2)); // + top * 5
        let h1 = add(v128_and(d1, mask), u64x2_shr(low, 26));
        [
            narrow(v128_and(low, mask)),
            narrow(h1),
            narrow(v128_and(d2, mask)),
            narrow(v128_and(d3, mask)),
            narrow(v128_and(d4, mask)),
        ]
    }

    /// The limbs of two message blocks (32 bytes), block 0 in lane 0 and block 1 in lane 1.
    #[inline(always)]
    fn message(pair: &[u8]) -> [v128; 5] {
        // SAFETY: `pair` holds 32 bytes; wasm loads need no alignment.
        let (a, b) = unsafe {
            (
                v128_load(pair.as_ptr() as *const v128),
                v128_load(pair[16..].as_ptr() as *const v128),
            )
        };
        let w01 = i32x4_shuffle::<0, 4, 1, 5>(a, b);
        let w23 = i32x4_shuffle::<2, 6, 3, 7>(a, b);
        let (w0, w1) = (w01, i32x4_shuffle::<2, 3, 2, 3>(w01, w01));
        let (w2, w3) = (w23, i32x4_shuffle::<2, 3, 2, 3>(w23, w23));
        let mask = u32x4_splat(LIMB);
        [
            v128_and(w0, mask),
            v128_and(v128_or(u32x4_shr(w0, 26), u32x4_shl(w1, 6)), mask),
            v128_and(v128_or(u32x4_shr(w1, 20), u32x4_shl(w2, 12)), mask),
            v128_and(v128_or(u32x4_shr(w2, 14), u32x4_shl(w3, 18)), mask),
            v128_or(u32x4_shr(w3, 8), u32x4_splat(1 << 24)),
        ]
    }

    /// Absorbs the whole 32-byte pairs of `data` (message blocks, high bit set) into `h`; returns how
    /// many bytes that was. `r2` is r squared, limbs below 2^26.
    pub fn pairs(h: &mut [u32; 5], r: &[u32; 5], r2: &[u32; 5], data: &[u8]) -> usize {
        let pairs = data.len() / 32;
        if pairs < 2 {
            return 0;
        }
        let splat =
            |limbs: &[u32; 5], times: u32| [0, 1, 2, 3, 4].map(|i| u32x4_splat(limbs[i] * times));
        let (r2v, s2v) = (splat(r2, 1), splat(r2, 5));
        let lanes = |x: &[u32; 5], y: &[u32; 5], times: u32| {
            [0, 1, 2, 3, 4].map(|i| u32x4(x[i] * times, y[i] * times, 0, 0))
        };
        let (last_r, last_s) = (lanes(r2, r, 1), lanes(r2, r, 5));
        let mut acc = [0, 1, 2, 3, 4].map(|i| u32x4(h[i], 0, 0, 0));
        for pair in 0..pairs {
            let m = message(&data[32 * pair..32 * pair + 32]);
            let sum = [0, 1, 2, 3, 4].map(|i| u32x4_add(acc[i], m[i]));
            acc = if pair + 1 < pairs {
                multiply(sum, r2v, s2v)
            } else {
                multiply(sum, last_r, last_s)
            };
        }
        // Both lanes' sum, carried so every limb is below 2^26 again (plus a little in h1).
        let mut out = [0u32; 5];
        for i in 0..5 {
            out[i] = u32x4_extract_lane::<0>(acc[i]) + u32x4_extract_lane::<1>(acc[i]);
        }
        for i in 0..4 {
            out[i + 1] += out[i] >> 26;
            out[i] &= LIMB;
        }
        out[0] += (out[4] >> 26) * 5;
        out[4] &= LIMB;
        out[1] += out[0] >> 26;
        out[0] &= LIMB;
        *h = out;
        pairs * 32
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use two_lanes::pairs;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn pairs(_h: &mut [u32; 5], _r: &[u32; 5], _r2: &[u32; 5], _data: &[u8]) -> usize {
    0
}
