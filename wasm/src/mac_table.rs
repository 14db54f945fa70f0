//! Which node each MAC address lives behind, learned from the source addresses of delivered frames, as
//! a switch's forwarding table. Fixed size, no allocation: 8-entry buckets picked by a seeded hash; a
//! full bucket gives up its oldest entry. So a flood of invented addresses costs at most the entries of
//! the buckets it lands in, and every operation touches at most one bucket (expire and forget scan all).

pub const CAPACITY: usize = 65_536;
const BUCKET: usize = 8;
const BUCKET_BITS: u32 = 13;
const _: () = assert!(1 << BUCKET_BITS == CAPACITY / BUCKET);
/// Marks a used entry, so the all-zero entry is free and the table starts as zeroed memory.
const USED: u64 = 1 << 63;
const MAC_MASK: u64 = (1 << 48) - 1;

#[derive(Clone, Copy)]
struct Entry {
    tagged_mac: u64,
    learned_ms: u64,
    home: u16,
}

pub struct MacTable {
    entries: [Entry; CAPACITY],
    seed: u64,
    ttl_ms: u64,
    len: usize,
}

pub fn is_group_address(mac: u64) -> bool {
    // The I/G bit: the least significant bit of the first octet, which is bit 40 of the 48-bit value.
    mac & (1 << 40) != 0
}

pub fn mac_from_bytes(bytes: &[u8]) -> u64 {
    bytes[..6]
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | *byte as u64)
}

impl MacTable {
    /// Empties the table and sets how long an entry lives and the hash seed (random, from the caller,
    /// so nobody outside can aim addresses at one bucket on purpose).
    pub fn reset(&mut self, ttl_ms: u64, seed: u64) {
        for entry in self.entries.iter_mut() {
            entry.tagged_mac = 0;
        }
        self.ttl_ms = ttl_ms;
        self.seed = seed;
        self.len = 0;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn bucket(&self, mac: u64) -> core::ops::Range<usize> {
        let hash = (mac ^ self.seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BUCKET_BITS);
        let first = hash as usize * BUCKET;
        first..first + BUCKET
    }

    /// Records that `mac` sent a frame from node `home`. Group addresses are never a true source.
    pub fn learn(&mut self, mac: u64, home: u16, now_ms: u64) {
        let mac = mac & MAC_MASK;
        if is_group_address(mac) {
            return;
        }
        let range = self.bucket(mac);
        let mut target = range.start;
        for index in range {
            let entry = &self.entries[index];
            if entry.tagged_mac == mac | USED {
                target = index;
                break;
            }
            let current = &self.entries[target];
            let better = if entry.tagged_mac == 0 {
                current.tagged_mac != 0 || index < target
            } else {
                current.tagged_mac != 0 && entry.learned_ms < current.learned_ms
            };
            if better {
                target = index;
            }
        }
        if self.entries[target].tagged_mac == 0 {
            self.len += 1;
        }
        self.entries[target] = Entry {
            tagged_mac: mac | USED,
            learned_ms: now_ms,
            home,
        };
    }

    /// The node behind `mac`, if it was learned no more than the TTL ago.
    pub fn lookup(&self, mac: u64, now_ms: u64) -> Option<u16> {
        let mac = mac & MAC_MASK;
        let range = self.bucket(mac);
        self.entries[range]
            .iter()
            .find(|entry| entry.tagged_mac == mac | USED)
            .filter(|entry| now_ms.saturating_sub(entry.learned_ms) <= self.ttl_ms)
            .map(|entry| entry.home)
    }

    fn remove_where(&mut self, mut doomed: impl FnMut(&Entry) -> bool) -> usize {
        let mut removed = 0;
        for entry in self.entries.iter_mut() {
            if entry.tagged_mac != 0 && doomed(entry) {
                entry.tagged_mac = 0;
                removed += 1;
            }
        }
        self.len -= removed;
        removed
    }

    /// Drops entries not refreshed within the TTL; returns how many.
    pub fn expire(&mut self, now_ms: u64) -> usize {
        let ttl = self.ttl_ms;
        self.remove_where(|entry| now_ms.saturating_sub(entry.learned_ms) > ttl)
    }

    /// For a node that left: its addresses are unknown until seen elsewhere.
    pub fn forget_node(&mut self, home: u16) -> usize {
        self.remove_where(|entry| entry.home == home)
    }

    /// The used entry at `index` or after it, for status views: (its index, mac, home, learned_ms).
    pub fn next_entry(&self, index: usize) -> Option<(usize, u64, u16, u64)> {
        (index..CAPACITY)
            .find(|i| self.entries[*i].tagged_mac != 0)
            .map(|i| {
                let entry = &self.entries[i];
                (i, entry.tagged_mac & MAC_MASK, entry.home, entry.learned_ms)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::boxed::Box;

    fn table() -> Box<MacTable> {
        let mut table = crate::test_support::zeroed_box::<MacTable>();
        table.reset(1000, 0x1234_5678);
        table
    }

    #[test]
    fn learns_looks_up_moves_and_ages_addresses() {
        let mut macs = table();
        let mac = mac_from_bytes(&[0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        assert_eq!(macs.lookup(mac, 0), None);
        macs.learn(mac, 3, 100);
        assert_eq!(macs.lookup(mac, 1100), Some(3));
        assert_eq!(macs.lookup(mac, 1101), None);
        macs.learn(mac, 4, 200);
        assert_eq!((macs.lookup(mac, 300), macs.len()), (Some(4), 1));
        assert_eq!(macs.expire(1200), 0);
        assert_eq!(macs.expire(1201), 1);
        assert_eq!(macs.len(), 0);
    }

    #[test]
    fn never_learns_group_addresses() {
        let mut macs = table();
        for first in [0x01u8, 0x33, 0xff] {
            let mac = mac_from_bytes(&[first, 0, 0x5e, 0, 0, 1]);
            assert!(is_group_address(mac));
            macs.learn(mac, 1, 0);
            assert_eq!(macs.lookup(mac, 0), None);
        }
        assert_eq!(macs.len(), 0);
    }

    #[test]
    fn a_full_bucket_gives_up_its_oldest_entry_and_the_table_holds_its_capacity() {
        let mut macs = table();
        for i in 0..200_000u64 {
            macs.learn(0x0200_0000_0000 | i, (i % 7) as u16, i);
        }
        assert!(macs.len() <= CAPACITY);
        assert!(
            macs.len() > CAPACITY * 9 / 10,
            "only {} of {CAPACITY} used",
            macs.len()
        );
        // The newest address is always present; an address learned first is long gone.
        assert_eq!(
            macs.lookup(0x0200_0000_0000 | 199_999, 199_999),
            Some((199_999 % 7) as u16)
        );
        assert_eq!(macs.lookup(0x0200_0000_0000, 199_999), None);
    }

    #[test]
    fn forgets_a_node_and_lists_entries() {
        let mut macs = table();
        for i in 0..10u64 {
            macs.learn(0x0a00_0000_0000 + i, (i % 2) as u16, 5);
        }
        assert_eq!(macs.forget_node(1), 5);
        let mut listed = std::vec::Vec::new();
        let mut index = 0;
        while let Some((at, mac, home, learned)) = macs.next_entry(index) {
            listed.push((mac, home, learned));
            index = at + 1;
        }
        listed.sort();
        let expected: std::vec::Vec<_> = (0..10u64)
            .step_by(2)
            .map(|i| (0x0a00_0000_0000 + i, 0u16, 5u64))
            .collect();
        assert_eq!(listed, expected);
    }
}
