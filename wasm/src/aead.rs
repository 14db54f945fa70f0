//! AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8), in place over the caller's buffer.

use crate::chacha20::{self, BLOCK_LEN, KEY_LEN, NONCE_LEN};
use crate::poly1305::{Poly1305, TAG_LEN};

/// The first bytes of a message are encrypted with blocks 1 to 3 of `first_blocks`, the rest with the
/// keystream from block 4 on.
const FIRST_RUN: usize = 3 * BLOCK_LEN;

fn authenticator(one_time_key: &[u8], aad: &[u8], ciphertext: &[u8]) -> [u8; TAG_LEN] {
    let mut key = [0u8; 32];
    key.copy_from_slice(&one_time_key[..32]);
    let mut poly = Poly1305::new(&key);
    poly.update(aad);
    poly.pad_to_block();
    poly.update(ciphertext);
    poly.pad_to_block();
    poly.update(&(aad.len() as u64).to_le_bytes());
    poly.update(&(ciphertext.len() as u64).to_le_bytes());
    poly.finish()
}

fn xor_message(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], first_blocks: &[u8], data: &mut [u8]) {
    let head = core::cmp::min(FIRST_RUN, data.len());
    for (byte, key_byte) in data[..head]
        .iter_mut()
        .zip(first_blocks[BLOCK_LEN..].iter())
    {
        *byte ^= *key_byte;
    }
    if data.len() > FIRST_RUN {
        chacha20::xor_keystream(key, 4, nonce, &mut data[FIRST_RUN..]);
    }
}

/// Encrypts `data` in place and returns the tag.
pub fn seal(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    data: &mut [u8],
) -> [u8; TAG_LEN] {
    let first_blocks = chacha20::first_four_blocks(key, nonce);
    xor_message(key, nonce, &first_blocks, data);
    authenticator(&first_blocks, aad, data)
}

/// Checks `tag` over `aad` and the ciphertext in `data`, and only then decrypts `data` in place. On a
/// mismatch `data` is left as it was, so no unauthenticated plaintext ever exists.
pub fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> bool {
    if tag.len() != TAG_LEN {
        return false;
    }
    let first_blocks = chacha20::first_four_blocks(key, nonce);
    let expected = authenticator(&first_blocks, aad, data);
    // Every byte is compared whatever the first difference, so timing says nothing about the tag.
    let difference = expected
        .iter()
        .zip(tag.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if difference != 0 {
        return false;
    }
    xor_message(key, nonce, &first_blocks, data);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::hex;
    use std::vec::Vec;

    const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

    fn rfc_2_8_2() -> ([u8; 32], [u8; 12], Vec<u8>) {
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = 0x80 + i as u8;
        }
        (
            key,
            hex("070000004041424344454647").try_into().unwrap(),
            hex("50515253c0c1c2c3c4c5c6c7"),
        )
    }

    #[test]
    fn seal_matches_rfc8439_2_8_2() {
        let (key, nonce, aad) = rfc_2_8_2();
        let mut data = SUNSCREEN.to_vec();
        let tag = seal(&key, &nonce, &aad, &mut data);
        let expected = hex(concat!(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6",
            "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36",
            "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc",
            "3ff4def08e4b7a9de576d26586cec64b6116"
        ));
        assert_eq!(data, expected);
        assert_eq!(tag.to_vec(), hex("1ae10b594f09e26a7e902ecbd0600691"));
        assert!(open(&key, &nonce, &aad, &mut data, &tag));
        assert_eq!(data, SUNSCREEN);
    }

    #[test]
    fn a_flipped_bit_anywhere_fails_and_leaves_the_ciphertext_untouched() {
        let (key, nonce, aad) = rfc_2_8_2();
        let mut sealed = SUNSCREEN.to_vec();
        let tag = seal(&key, &nonce, &aad, &mut sealed);
        for bit in 0..(sealed.len() + aad.len() + tag.len()) * 8 {
            let (mut data, mut aad, mut tag) = (sealed.clone(), aad.clone(), tag.to_vec());
            let byte = bit / 8;
            let target = if byte < data.len() {
                &mut data[byte]
            } else if byte < data.len() + aad.len() {
                &mut aad[byte - data.len()]
            } else {
                &mut tag[byte - data.len() - aad.len()]
            };
            *target ^= 1 << (bit % 8);
            let before = data.clone();
            assert!(!open(&key, &nonce, &aad, &mut data, &tag), "bit {bit}");
            assert_eq!(data, before);
        }
    }

    #[test]
    fn empty_message_and_empty_aad_round_trip() {
        let key = [9u8; 32];
        let nonce = [1u8; 12];
        let mut data: [u8; 0] = [];
        let tag = seal(&key, &nonce, &[], &mut data);
        assert!(open(&key, &nonce, &[], &mut data, &tag));
        assert!(!open(&key, &nonce, &[0], &mut data, &tag));
        assert!(!open(&key, &nonce, &[], &mut data, &tag[..15]));
    }
}
