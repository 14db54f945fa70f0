//! One direction pair of sealed frames between this node and a peer: keys, the send counter (the
//! nonce, so it only moves forward and never wraps) and the replay window, as PairChannel does in
//! core/gloeth/crypto/frame_seal.ts. The nonce is 4 zero bytes || the header's 8-byte counter.

use crate::aead;
use crate::frame_header::{self, NodeId, HEADER_LEN, LAST_COUNTER};
use crate::poly1305::TAG_LEN;
use crate::replay_window::ReplayWindow;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OpenError {
    /// Shorter than a header and a tag.
    Short,
    /// A header this channel cannot have sent: wrong version, kind, ids or counter.
    BadHeader,
    /// The tag did not verify: forged, damaged, or sealed with another key.
    Auth,
    /// A counter already accepted or too far behind.
    Replay,
}

#[derive(Clone, Copy)]
pub struct Channel {
    send_key: [u8; 32],
    receive_key: [u8; 32],
    my_id: NodeId,
    peer_id: NodeId,
    next_counter: u64,
    window: ReplayWindow,
}

fn nonce(counter: u64) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[4..].copy_from_slice(&counter.to_be_bytes());
    nonce
}

impl Channel {
    pub const fn new(
        send_key: [u8; 32],
        receive_key: [u8; 32],
        my_id: NodeId,
        peer_id: NodeId,
    ) -> Self {
        Channel {
            send_key,
            receive_key,
            my_id,
            peer_id,
            next_counter: 0,
            window: ReplayWindow::new(),
        }
    }

    /// Seals the frame in `packet[HEADER_LEN..packet.len() - TAG_LEN]` in place, writing the header in
    /// front and the tag behind. None once the counter is exhausted: the pair needs new keys.
    pub fn seal(&mut self, kind: u8, packet: &mut [u8]) -> Option<u64> {
        if packet.len() < HEADER_LEN + TAG_LEN || self.next_counter > LAST_COUNTER {
            return None;
        }
        let counter = self.next_counter;
        self.next_counter += 1;
        let (header, rest) = packet.split_at_mut(HEADER_LEN);
        frame_header::write(header, kind, &self.my_id, &self.peer_id, counter);
        let frame_len = rest.len() - TAG_LEN;
        let (frame, tag) = rest.split_at_mut(frame_len);
        tag.copy_from_slice(&aead::seal(&self.send_key, &nonce(counter), header, frame));
        Some(counter)
    }

    /// Opens `packet` in place; on success the frame is `packet[HEADER_LEN..packet.len() - TAG_LEN]`.
    pub fn open(&mut self, packet: &mut [u8]) -> Result<(), OpenError> {
        if packet.len() < HEADER_LEN + TAG_LEN {
            return Err(OpenError::Short);
        }
        let header = frame_header::parse(packet).ok_or(OpenError::BadHeader)?;
        if header.source != self.peer_id || header.destination != self.my_id {
            return Err(OpenError::BadHeader);
        }
        // A replay is refused before spending a decryption on it; the window only moves after the tag.
        if !self.window.could_accept(header.counter) {
            return Err(OpenError::Replay);
        }
        let (aad, rest) = packet.split_at_mut(HEADER_LEN);
        let frame_len = rest.len() - TAG_LEN;
        let (frame, tag) = rest.split_at_mut(frame_len);
        if !aead::open(&self.receive_key, &nonce(header.counter), aad, frame, tag) {
            return Err(OpenError::Auth);
        }
        self.window.accept(header.counter);
        Ok(())
    }

    #[cfg(test)]
    pub fn start_counter_at(&mut self, counter: u64) {
        self.next_counter = counter;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn pair() -> (Channel, Channel) {
        let (a, b) = ([1u8; 16], [2u8; 16]);
        (
            Channel::new([10; 32], [11; 32], a, b),
            Channel::new([11; 32], [10; 32], b, a),
        )
    }

    fn packet_for(frame: &[u8]) -> Vec<u8> {
        let mut packet = std::vec![0u8; HEADER_LEN + frame.len() + TAG_LEN];
        packet[HEADER_LEN..HEADER_LEN + frame.len()].copy_from_slice(frame);
        packet
    }

    #[test]
    fn a_sealed_frame_opens_once_at_the_peer_only() {
        let (mut alice, mut bob) = pair();
        let frame = b"an ethernet frame, more or less";
        let mut packet = packet_for(frame);
        assert_eq!(alice.seal(frame_header::KIND_UNICAST, &mut packet), Some(0));
        assert_ne!(&packet[HEADER_LEN..HEADER_LEN + frame.len()], frame);
        let sealed = packet.clone();
        assert_eq!(bob.open(&mut packet), Ok(()));
        assert_eq!(&packet[HEADER_LEN..HEADER_LEN + frame.len()], frame);
        assert_eq!(bob.open(&mut sealed.clone()), Err(OpenError::Replay));
        assert_eq!(alice.open(&mut sealed.clone()), Err(OpenError::BadHeader));
    }

    #[test]
    fn any_changed_byte_is_refused_and_does_not_move_the_window() {
        let (mut alice, mut bob) = pair();
        let mut packet = packet_for(b"0123456789");
        alice.seal(frame_header::KIND_UNICAST, &mut packet).unwrap();
        for at in 0..packet.len() {
            let mut changed = packet.clone();
            changed[at] ^= 0x40;
            assert!(bob.open(&mut changed).is_err(), "byte {at}");
        }
        assert_eq!(bob.open(&mut packet), Ok(()));
    }

    #[test]
    fn refuses_short_packets_and_stops_at_the_last_counter() {
        let (mut alice, mut bob) = pair();
        assert_eq!(
            bob.open(&mut [0u8; HEADER_LEN + TAG_LEN - 1]),
            Err(OpenError::Short)
        );
        alice.start_counter_at(LAST_COUNTER);
        let mut packet = packet_for(b"last");
        assert_eq!(
            alice.seal(frame_header::KIND_UNICAST, &mut packet),
            Some(LAST_COUNTER)
        );
        assert_eq!(
            alice.seal(frame_header::KIND_UNICAST, &mut packet_for(b"one more")),
            None
        );
        assert_eq!(bob.open(&mut packet), Ok(()));
    }
}
