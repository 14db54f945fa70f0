//! Every node this one knows, in numbered slots: its id, the link its frames leave by (the next hop
//! the TypeScript side computed from the link-state graph), and, once keys are agreed, its channel.
//! Ids are found through an open-addressing index; removals are rare (revocations), so they rebuild it.

use crate::channel::Channel;
use crate::frame_header::NodeId;
use crate::key_epochs::KeyEpochs;

pub const MAX_NODES: usize = 4096;
const INDEX_SIZE: usize = 2 * MAX_NODES;
/// The link number meaning "no route".
pub const NO_LINK: u16 = u16::MAX;

#[derive(Clone, Copy)]
struct Slot {
    id: NodeId,
    used: bool,

    /// Link number + 1, so the zeroed slot has no route.
    next_hop_plus_one: u16,
    channels: KeyEpochs,
}

pub struct NodeSlots {
    slots: [Slot; MAX_NODES],
    /// Slot number + 1 at the id's hash position or after it; 0 is free.
    index: [u16; INDEX_SIZE],
}

fn hash(id: &NodeId) -> usize {
    // Node ids are SHA-256 prefixes of public keys (see core/gloeth/crypto/node_id.ts): already uniform.
    (u32::from_le_bytes([id[0], id[1], id[2], id[3]]) as usize) % INDEX_SIZE
}

impl NodeSlots {
    pub fn slot_of(&self, id: &NodeId) -> Option<u16> {
        let mut at = hash(id);
        for _ in 0..INDEX_SIZE {
            let entry = self.index[at];
            if entry == 0 {
                return None;
            }
            let slot = entry - 1;
            if self.slots[slot as usize].id == *id {
                return Some(slot);
            }
            at = (at + 1) % INDEX_SIZE;
        }
        None
    }

    fn index_insert(&mut self, slot: u16) {
        let mut at = hash(&self.slots[slot as usize].id);
        while self.index[at] != 0 {
            at = (at + 1) % INDEX_SIZE;
        }
        self.index[at] = slot + 1;
    }

    /// The slot for `id`, taking a free one for a new id; None when all MAX_NODES are used.
    pub fn add(&mut self, id: &NodeId) -> Option<u16> {
        if let Some(slot) = self.slot_of(id) {
            return Some(slot);
        }
        let free = self.slots.iter().position(|slot| !slot.used)? as u16;
        let slot = &mut self.slots[free as usize];
        slot.id = *id;
        slot.used = true;
        slot.channels = KeyEpochs::empty();
        slot.next_hop_plus_one = 0;
        self.index_insert(free);
        Some(free)
    }

    pub fn remove(&mut self, slot: u16) {
        if !self.is_used(slot) {
            return;
        }
        // Nobody's frames may leave by the departed node's link once its number is reused.
        for entry in self.slots.iter_mut() {
            if entry.next_hop_plus_one == slot + 1 {
                entry.next_hop_plus_one = 0;
            }
        }
        // Zeroed, so a departed node's keys do not linger in memory.
        self.slots[slot as usize] = Slot {
            id: [0; 16],
            used: false,
            next_hop_plus_one: 0,
            channels: KeyEpochs::empty(),
        };
        self.index = [0; INDEX_SIZE];
        for used in 0..MAX_NODES as u16 {
            if self.slots[used as usize].used {
                self.index_insert(used);
            }
        }
    }

    pub fn id(&self, slot: u16) -> Option<NodeId> {
        self.slots
            .get(slot as usize)
            .filter(|entry| entry.used)
            .map(|entry| entry.id)
    }

    pub fn is_used(&self, slot: u16) -> bool {
        self.slots
            .get(slot as usize)
            .map_or(false, |entry| entry.used)
    }

    pub fn set_next_hop(&mut self, slot: u16, link: u16) {
        if let Some(entry) = self.slots.get_mut(slot as usize).filter(|entry| entry.used) {
            entry.next_hop_plus_one = if link == NO_LINK { 0 } else { link + 1 };
        }
    }

    pub fn next_hop(&self, slot: u16) -> Option<u16> {
        let entry = self.slots.get(slot as usize)?;
        if !entry.used || entry.next_hop_plus_one == 0 {
            return None;
        }
        Some(entry.next_hop_plus_one - 1)
    }

    /// Installs a new channel numbered `number` (see KeyEpochs::install); 0 for an unused slot.
    pub fn set_channel(&mut self, slot: u16, channel: Channel, send_now: bool, number: u32) -> u32 {
        match self.slots.get_mut(slot as usize).filter(|entry| entry.used) {
            Some(entry) => entry.channels.install(channel, send_now, number),
            None => 0,
        }
    }

    pub fn clear_channels(&mut self, slot: u16) {
        if let Some(entry) = self.slots.get_mut(slot as usize) {
            entry.channels = KeyEpochs::empty();
        }
    }

    /// The node's channels, once it has keys.
    pub fn channels(&mut self, slot: u16) -> Option<&mut KeyEpochs> {
        let entry = self.slots.get_mut(slot as usize)?;
        if entry.used && entry.channels.is_ready() {
            Some(&mut entry.channels)
        } else {
            None
        }
    }

    /// Slots from `start` on that have a route, for flooding.
    pub fn next_routed(&self, start: u16) -> Option<u16> {
        (start as usize..MAX_NODES)
            .find(|i| self.slots[*i].used && self.slots[*i].next_hop_plus_one != 0)
            .map(|i| i as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> NodeId {
        let mut id = [0u8; 16];
        // Colliding low bytes on purpose: the index must still tell them apart.
        id[0] = (n % 3) as u8;
        id[4..8].copy_from_slice(&n.to_be_bytes());
        id
    }

    #[test]
    fn adds_finds_routes_and_removes_nodes() {
        let mut nodes = crate::test_support::zeroed_box::<NodeSlots>();
        let slots: std::vec::Vec<u16> = (0..100).map(|n| nodes.add(&id(n)).unwrap()).collect();
        assert_eq!(nodes.add(&id(42)), Some(slots[42]));
        for n in 0..100 {
            assert_eq!(nodes.slot_of(&id(n)), Some(slots[n as usize]));
        }
        assert_eq!(nodes.slot_of(&id(100)), None);
        nodes.set_next_hop(slots[7], 3);
        nodes.set_next_hop(slots[9], 0);
        assert_eq!(
            (nodes.next_hop(slots[7]), nodes.next_hop(slots[8])),
            (Some(3), None)
        );
        assert_eq!(nodes.next_routed(0), Some(slots[7]));
        assert_eq!(nodes.next_routed(slots[7] + 1), Some(slots[9]));
        nodes.remove(slots[7]);
        assert_eq!(
            (nodes.slot_of(&id(7)), nodes.next_hop(slots[7])),
            (None, None)
        );
        assert_eq!(nodes.slot_of(&id(10)), Some(slots[10]));
        assert_eq!(nodes.add(&id(500)), Some(slots[7]));
        assert!(nodes.channels(slots[9]).is_none());
    }

    #[test]
    fn a_removed_node_is_nobodys_next_hop_when_its_number_is_reused() {
        let mut nodes = crate::test_support::zeroed_box::<NodeSlots>();
        let (far, neighbour) = (nodes.add(&id(1)).unwrap(), nodes.add(&id(2)).unwrap());
        nodes.set_next_hop(far, neighbour);
        nodes.remove(neighbour);
        assert_eq!(nodes.add(&id(3)), Some(neighbour));
        assert_eq!(nodes.next_hop(far), None);
    }

    #[test]
    fn refuses_a_node_beyond_the_last_slot() {
        let mut nodes = crate::test_support::zeroed_box::<NodeSlots>();
        for n in 0..MAX_NODES as u32 {
            assert!(nodes.add(&id(n)).is_some());
        }
        assert_eq!(nodes.add(&id(MAX_NODES as u32)), None);
        assert_eq!(nodes.slot_of(&id(17)), Some(17));
    }
}
