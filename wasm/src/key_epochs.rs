//! A peer's channels across rekeys: the last three installed, newest first. New keys come from either
//! side's new session key, and the peer may not hold them yet (a new key record is still on its way), so
//! sealing moves to a newer channel only when that is safe:
//!
//! - a channel installed because of the peer's new record is one the peer has: sealing moves to it,
//!   unless this node is itself in a rotation the peer may not know of yet;
//! - a channel from this node's own rotation waits for `promote` (the TypeScript side calls it after a
//!   grace period) or for a frame from the peer that opens with it or a newer one, which proves the peer
//!   has it.
//!
//! Receiving tries every kept channel, newest first, so frames sealed on either side of a switch open.
//! Two nodes rotating at once, or a rotation right after the peer's, thus lose no frame.

use crate::channel::{Channel, OpenError};

const EMPTY: Channel = Channel::new([0; 32], [0; 32], [0; 16], [0; 16]);
const KEPT: usize = 3;
const NONE: usize = KEPT;

#[derive(Clone, Copy)]
pub struct KeyEpochs {
    channels: [Channel; KEPT],
    kept: [bool; KEPT],
    /// Which channel seals (an index into `channels`), NONE before the first.
    sealing: usize,
    /// This node rotated and the peer has not confirmed the new keys yet.
    awaiting: bool,
}

impl KeyEpochs {
    pub const fn empty() -> Self {
        KeyEpochs {
            channels: [EMPTY; KEPT],
            kept: [false; KEPT],
            sealing: NONE,
            awaiting: false,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.sealing != NONE
    }

    /// A new channel: `send_now` when it comes from the peer's new key record, not when it comes from
    /// this node's own rotation.
    pub fn install(&mut self, channel: Channel, send_now: bool) {
        for i in (1..KEPT).rev() {
            self.channels[i] = self.channels[i - 1];
            self.kept[i] = self.kept[i - 1];
        }
        self.channels[0] = channel;
        self.kept[0] = true;
        if self.sealing == NONE {
            self.sealing = 0;
            return;
        }
        // The sealing channel moved one place older; if it fell out, the oldest kept one takes over.
        self.sealing = core::cmp::min(self.sealing + 1, KEPT - 1);
        if send_now && !self.awaiting {
            self.sealing = 0;
        } else if !send_now {
            self.awaiting = true;
        }
    }

    pub fn promote(&mut self) {
        if self.sealing != NONE {
            self.sealing = 0;
            self.awaiting = false;
        }
    }

    /// Forgets (wipes) every channel except the newest and the one sealing.
    pub fn drop_previous(&mut self) {
        for i in 1..KEPT {
            if i != self.sealing {
                self.channels[i] = EMPTY;
                self.kept[i] = false;
            }
        }
    }

    pub fn seal(&mut self, kind: u8, packet: &mut [u8]) -> Option<u64> {
        if self.sealing == NONE {
            return None;
        }
        self.channels[self.sealing].seal(kind, packet)
    }

    pub fn open(&mut self, packet: &mut [u8]) -> Result<(), OpenError> {
        let mut first_error = OpenError::BadHeader;
        for i in 0..KEPT {
            if !self.kept[i] {
                continue;
            }
            // A failed open leaves the packet untouched, so older keys see the same bytes.
            match self.channels[i].open(packet) {
                Ok(()) => {
                    // Only a peer holding this channel's keys can have sealed the frame.
                    if i < self.sealing {
                        self.sealing = i;
                        self.awaiting = i != 0;
                    }
                    return Ok(());
                }
                // What the newest keys say, unless they simply could not authenticate it: then an
                // older channel's verdict (a replay, say) tells more.
                Err(error) if i == 0 || first_error == OpenError::Auth => first_error = error,
                Err(_) => {}
            }
        }
        Err(first_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame_header::{HEADER_LEN, KIND_UNICAST};
    use crate::poly1305::TAG_LEN;

    const A: [u8; 16] = [0xa; 16];
    const B: [u8; 16] = [0xb; 16];

    fn sealed(by: &mut KeyEpochs) -> std::vec::Vec<u8> {
        let mut packet = std::vec![7u8; HEADER_LEN + 20 + TAG_LEN];
        by.seal(KIND_UNICAST, &mut packet).expect("sealed");
        packet
    }

    /// The keys both sides derive from a's session `a_epoch` and b's session `b_epoch`.
    fn pair(a_epoch: u8, b_epoch: u8) -> (Channel, Channel) {
        let a_to_b = [0x80 | (a_epoch * 8 + b_epoch); 32];
        let b_to_a = [a_epoch * 8 + b_epoch; 32];
        (
            Channel::new(a_to_b, b_to_a, A, B),
            Channel::new(b_to_a, a_to_b, B, A),
        )
    }

    #[test]
    fn one_side_rotating_switches_on_the_peers_first_frame_and_loses_nothing() {
        let (mut a, mut b) = (KeyEpochs::empty(), KeyEpochs::empty());
        let (a11, b11) = pair(1, 1);
        a.install(a11, true);
        b.install(b11, true);
        let early = sealed(&mut a);

        // a rotates: new keys receive at once, sealing stays on the old ones.
        let (a21, b21) = pair(2, 1);
        a.install(a21, false);
        let during = sealed(&mut a);
        assert_eq!(b.open(&mut during.clone()), Ok(()));
        a.drop_previous(); // refused: a still seals with the previous keys
                           // a's key record reaches b, which seals with the new keys at once; that confirms them to a.
        b.install(b21, true);
        assert_eq!(
            b.open(&mut early.clone()),
            Ok(()),
            "sealed before the switch, opened after"
        );
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        let after = sealed(&mut a);
        b.drop_previous();
        assert_eq!(
            b.open(&mut after.clone()),
            Ok(()),
            "a switched to the new keys"
        );
        assert_eq!(
            b.open(&mut during.clone()),
            Err(OpenError::Auth),
            "the old keys are gone"
        );
        let mut forged = sealed(&mut a);
        forged[HEADER_LEN] ^= 1;
        assert_eq!(b.open(&mut forged), Err(OpenError::Auth));
    }

    #[test]
    fn both_sides_rotating_at_once_keep_sealing_with_keys_both_have() {
        let (mut a, mut b) = (KeyEpochs::empty(), KeyEpochs::empty());
        let (a11, b11) = pair(1, 1);
        a.install(a11, true);
        b.install(b11, true);
        // Both rotate before either hears of the other's new key.
        let (a21, _) = pair(2, 1);
        let (_, b12) = pair(1, 2);
        a.install(a21, false);
        b.install(b12, false);
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()));
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        // Each then gets the other's record: both derive the keys of the two new sessions.
        let (a22, b22) = pair(2, 2);
        a.install(a22, true);
        b.install(b22, true);
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()), "still on keys b has");
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        // The grace period ends on a first: its frame on the new keys confirms them to b.
        a.promote();
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()));
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        a.drop_previous();
        b.drop_previous();
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()));
        assert_eq!(
            a.open(&mut sealed(&mut b)),
            Ok(()),
            "b sealed with the new keys"
        );
    }

    #[test]
    fn a_rotation_right_after_the_peers_keeps_every_key_still_in_use() {
        let (mut a, mut c) = (KeyEpochs::empty(), KeyEpochs::empty());
        let (a11, c11) = pair(1, 1);
        a.install(a11, true);
        c.install(c11, true);
        // a rotates; c gets the record; then c rotates before a's grace period is over.
        let (a21, c21) = pair(2, 1);
        a.install(a21, false);
        c.install(c21, true);
        let (_, c22) = pair(2, 2);
        c.install(c22, false);
        assert_eq!(
            c.open(&mut sealed(&mut a)),
            Ok(()),
            "a still seals with the first keys"
        );
        a.promote(); // a's grace period ends before c's record arrives
        assert_eq!(
            c.open(&mut sealed(&mut a)),
            Ok(()),
            "a seals with its rotation's keys"
        );
        let (a22, _) = pair(2, 2);
        a.install(a22, true);
        assert_eq!(
            c.open(&mut sealed(&mut a)),
            Ok(()),
            "a seals with the newest keys"
        );
        assert_eq!(a.open(&mut sealed(&mut c)), Ok(()));
        c.promote();
        a.drop_previous();
        c.drop_previous();
        assert_eq!(a.open(&mut sealed(&mut c)), Ok(()));
        assert_eq!(c.open(&mut sealed(&mut a)), Ok(()));
    }

    #[test]
    fn nothing_is_sealed_or_opened_without_keys() {
        let mut none = KeyEpochs::empty();
        let mut packet = [0u8; HEADER_LEN + TAG_LEN];
        assert!(!none.is_ready());
        assert_eq!(none.seal(KIND_UNICAST, &mut packet), None);
        assert_eq!(none.open(&mut packet), Err(OpenError::BadHeader));
    }
}
