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
//! Two nodes rotating at once, or a rotation right after the peer's, thus lose no frame. Channels are
//! numbered as installed: the sealing channel is never evicted or dropped, and a drop names the newest
//! install it covers, so a late timer cannot wipe keys installed after it was set.

use crate::channel::{Channel, OpenError};

const EMPTY: Channel = Channel::new([0; 32], [0; 32], [0; 16], [0; 16]);
const KEPT: usize = 3;

#[derive(Clone, Copy)]
pub struct KeyEpochs {
    channels: [Channel; KEPT],
    /// The install number of the channel in each place; 0 marks an empty place, so zeroed memory is
    /// "no keys" and nothing can seal with an all-zero key.
    numbers: [u32; KEPT],
    last_number: u32,
    /// The install number of the channel that seals; 0 before the first.
    sealing: u32,
    /// This node rotated and the peer has not confirmed the new keys yet.
    awaiting: bool,
}

impl KeyEpochs {
    pub const fn empty() -> Self {
        KeyEpochs {
            channels: [EMPTY; KEPT],
            numbers: [0; KEPT],
            last_number: 0,
            sealing: 0,
            awaiting: false,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.sealing != 0
    }

    fn place_of(&self, number: u32) -> Option<usize> {
        if number == 0 {
            return None;
        }
        self.numbers.iter().position(|kept| *kept == number)
    }

    fn newest(&self) -> u32 {
        self.numbers.iter().copied().max().unwrap_or(0)
    }

    /// A new channel with install `number` (larger than every earlier one, across all peers, so a timer
    /// set for a forgotten node cannot match keys of a node that took its place): `send_now` when it
    /// comes from the peer's new key record, not when it comes from this node's own rotation. It takes an
    /// empty place, or that of the oldest channel that does not seal.
    pub fn install(&mut self, channel: Channel, send_now: bool, number: u32) -> u32 {
        self.last_number = number;
        let sealing = self.sealing;
        let place = match self.numbers.iter().position(|kept| *kept == 0) {
            Some(empty) => empty,
            None => (0..KEPT)
                .filter(|place| self.numbers[*place] != sealing)
                .min_by_key(|place| self.numbers[*place])
                .unwrap_or(0),
        };
        self.channels[place] = channel;
        self.numbers[place] = number;
        if self.sealing == 0 || (send_now && !self.awaiting) {
            self.sealing = number;
        } else if !send_now {
            self.awaiting = true;
        }
        number
    }

    #[cfg(test)]
    pub fn install_next(&mut self, channel: Channel, send_now: bool) -> u32 {
        self.install(channel, send_now, self.last_number + 1)
    }

    pub fn promote(&mut self) {
        if self.sealing != 0 {
            self.sealing = self.newest();
            self.awaiting = false;
        }
    }

    /// Forgets (wipes) the channels installed up to number `through`, except the newest and the one
    /// that seals.
    pub fn drop_through(&mut self, through: u32) {
        let newest = self.newest();
        for place in 0..KEPT {
            let number = self.numbers[place];
            if number != 0 && number <= through && number != newest && number != self.sealing {
                self.channels[place] = EMPTY;
                self.numbers[place] = 0;
            }
        }
    }

    pub fn seal(&mut self, kind: u8, packet: &mut [u8]) -> Option<u64> {
        let place = self.place_of(self.sealing)?;
        self.channels[place].seal(kind, packet)
    }

    pub fn open(&mut self, packet: &mut [u8]) -> Result<(), OpenError> {
        let mut order = [0usize, 1, 2];
        order.sort_unstable_by_key(|place| core::cmp::Reverse(self.numbers[*place]));
        let mut first_error = OpenError::BadHeader;
        let mut tried = 0;
        for place in order {
            let number = self.numbers[place];
            if number == 0 {
                continue;
            }
            // A failed open leaves the packet untouched, so older keys see the same bytes.
            match self.channels[place].open(packet) {
                Ok(()) => {
                    // Only a peer holding this channel's keys can have sealed the frame.
                    if number > self.sealing {
                        self.sealing = number;
                        self.awaiting = number != self.newest();
                    }
                    return Ok(());
                }
                // What the newest keys say, unless they simply could not authenticate it: then an
                // older channel's verdict (a replay, say) tells more.
                Err(error) if tried == 0 || first_error == OpenError::Auth => first_error = error,
                Err(_) => {}
            }
            tried += 1;
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
        a.install_next(a11, true);
        b.install_next(b11, true);
        let early = sealed(&mut a);

        // a rotates: new keys receive at once, sealing stays on the old ones.
        let (a21, b21) = pair(2, 1);
        a.install_next(a21, false);
        let during = sealed(&mut a);
        assert_eq!(b.open(&mut during.clone()), Ok(()));
        a.drop_through(u32::MAX); // keeps the channel a still seals with
                                  // a's key record reaches b, which seals with the new keys at once; that confirms them to a.
        b.install_next(b21, true);
        assert_eq!(
            b.open(&mut early.clone()),
            Ok(()),
            "sealed before the switch, opened after"
        );
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        let after = sealed(&mut a);
        b.drop_through(u32::MAX);
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
        a.install_next(a11, true);
        b.install_next(b11, true);
        // Both rotate before either hears of the other's new key.
        let (a21, _) = pair(2, 1);
        let (_, b12) = pair(1, 2);
        a.install_next(a21, false);
        b.install_next(b12, false);
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()));
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        // Each then gets the other's record: both derive the keys of the two new sessions.
        let (a22, b22) = pair(2, 2);
        a.install_next(a22, true);
        b.install_next(b22, true);
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()), "still on keys b has");
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        // The grace period ends on a first: its frame on the new keys confirms them to b.
        a.promote();
        assert_eq!(b.open(&mut sealed(&mut a)), Ok(()));
        assert_eq!(a.open(&mut sealed(&mut b)), Ok(()));
        a.drop_through(u32::MAX);
        b.drop_through(u32::MAX);
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
        a.install_next(a11, true);
        c.install_next(c11, true);
        // a rotates; c gets the record; then c rotates before a's grace period is over.
        let (a21, c21) = pair(2, 1);
        a.install_next(a21, false);
        c.install_next(c21, true);
        let (_, c22) = pair(2, 2);
        c.install_next(c22, false);
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
        a.install_next(a22, true);
        assert_eq!(
            c.open(&mut sealed(&mut a)),
            Ok(()),
            "a seals with the newest keys"
        );
        assert_eq!(a.open(&mut sealed(&mut c)), Ok(()));
        c.promote();
        a.drop_through(u32::MAX);
        c.drop_through(u32::MAX);
        assert_eq!(a.open(&mut sealed(&mut c)), Ok(()));
        assert_eq!(c.open(&mut sealed(&mut a)), Ok(()));
    }

    fn single(tag: u8) -> Channel {
        Channel::new([0x80 | tag; 32], [tag; 32], A, B)
    }

    /// Found in review: a drop timer between a rotation and more peer records once left sealing on a
    /// wiped place, so frames went out under the all-zero key.
    #[test]
    fn sealing_never_lands_on_a_wiped_channel() {
        let mut a = KeyEpochs::empty();
        a.install_next(single(1), true);
        let own = a.install_next(single(2), false);
        a.install_next(single(3), true);
        a.drop_through(own);
        a.install_next(single(4), true);
        a.install_next(single(5), true);
        let mut packet = std::vec![0x55u8; HEADER_LEN + 20 + TAG_LEN];
        a.seal(KIND_UNICAST, &mut packet).expect("sealed");
        let mut zero_key = Channel::new([0; 32], [0; 32], [0; 16], [0; 16]);
        assert_eq!(
            zero_key.open(&mut packet.clone()),
            Err(OpenError::BadHeader)
        );
        let mut peer = Channel::new([1; 32], [0x81; 32], B, A);
        assert_eq!(
            peer.open(&mut packet),
            Ok(()),
            "sealed with the first keys, the ones in use"
        );
    }

    /// Found in review: a's drop timer from its own rotation fired after b rotated too, and wiped the
    /// keys b was still sealing with.
    #[test]
    fn a_drop_timer_spares_keys_installed_after_it_was_set() {
        let (mut a, mut b) = (KeyEpochs::empty(), KeyEpochs::empty());
        let (a11, b11) = pair(1, 1);
        a.install_next(a11, true);
        b.install_next(b11, true);
        let (a21, b21) = pair(2, 1);
        let rotation = a.install_next(a21, false);
        b.install_next(b21, true);
        a.promote();
        let (a22, b22) = pair(2, 2);
        b.install_next(b22, false); // b seals with K(2,1) until its grace period ends
        a.install_next(a22, true);
        a.drop_through(rotation - 1); // the timer set at a's rotation
        assert_eq!(
            a.open(&mut sealed(&mut b)),
            Ok(()),
            "b's frame on K(2,1) still opens"
        );
    }

    /// The sealing channel is never the one evicted, whatever the order of installs.
    #[test]
    fn four_installs_without_confirmation_keep_the_sealing_channel() {
        let (mut a, mut b) = (KeyEpochs::empty(), KeyEpochs::empty());
        let (a11, b11) = pair(1, 1);
        a.install_next(a11, true);
        b.install_next(b11, true);
        for epoch in 2..6 {
            let (a_next, _) = pair(epoch, 1);
            a.install_next(a_next, epoch % 2 == 1); // own rotation first, then peer records
        }
        assert_eq!(
            b.open(&mut sealed(&mut a)),
            Ok(()),
            "a still seals with keys b has"
        );
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
