//! The per-frame work of a gloeth node, with its buffers, so the TypeScript side only copies bytes in
//! and out and acts on a verdict:
//!
//! - outbound: a frame from the port goes to the node its destination MAC was learned behind, or, for
//!   group and unknown addresses, as a separately sealed copy to every node with a route;
//! - inbound: a link record (type byte, hop limit, sealed packet) is either forwarded by its clear
//!   header, with the hop limit lowered, or opened here, its source MAC learned and its frame delivered.

use crate::channel::{Channel, OpenError};
use crate::frame_header::{self, NodeId, HEADER_LEN, KIND_BROADCAST_COPY, KIND_UNICAST};
use crate::mac_table::{is_group_address, mac_from_bytes, MacTable};
use crate::node_slots::{NodeSlots, MAX_NODES};
use crate::poly1305::TAG_LEN;
use crate::vnet_header;

/// The largest frame the port hands over: a 64 KiB TSO super-frame behind its virtio-net header.
pub const FRAME_CAPACITY: usize = 66_000;
/// Type byte and hop limit in front of the sealed packet.
pub const RECORD_HEAD: usize = 2;
/// Where a frame sits inside a record buffer.
pub const FRAME_AT: usize = RECORD_HEAD + HEADER_LEN;
pub const RECORD_CAPACITY: usize = FRAME_AT + FRAME_CAPACITY + TAG_LEN;

#[derive(Clone, Copy, Default)]
#[repr(C)]
pub struct Counters {
    pub no_route: u32,
    pub no_keys: u32,
    pub hop_limit: u32,
    pub counter_exhausted: u32,
    /// Shorter than a header and tag, or longer than any frame.
    pub bad_length: u32,
    pub bad_header: u32,
    pub auth: u32,
    pub replay: u32,
    pub unknown_source: u32,
    /// Authentic, but with a virtio_net_hdr no TAP would write (see vnet_header.rs).
    pub bad_offload: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Inbound {
    Dropped = 0,
    /// Send the record on through `result.link`, with its hop byte set to `result.value`.
    Forward = 1,
    /// For this node: copy the whole record into the inbound buffer and call `inbound_open`.
    OpenHere = 2,
    /// The frame is at `inbound[FRAME_AT..]`, `result.value` bytes long.
    Delivered = 3,
}

#[derive(Clone, Copy, Default)]
#[repr(C)]
pub struct Verdict {
    pub link: u32,
    pub value: u32,
    pub slot: u32,
}

pub struct FramePath {
    pub my_id: NodeId,
    pub nodes: NodeSlots,
    pub macs: MacTable,
    pub counters: Counters,
    pub result: Verdict,
    port_header: usize,
    record_type: u8,
    hop_limit: u8,
    destinations: [u16; MAX_NODES],
    destination_count: usize,
    /// Channels installed so far, for all peers: each gets the next number.
    installs: u32,
    kind: u8,
    frame_len: usize,
    pub outbound: [u8; RECORD_CAPACITY],
    plain: [u8; FRAME_CAPACITY],
    pub inbound: [u8; RECORD_CAPACITY],
}

impl FramePath {
    pub fn configure(&mut self, my_id: NodeId, port_header: usize, record_type: u8, hop_limit: u8) {
        self.my_id = my_id;
        self.port_header = port_header;
        self.record_type = record_type;
        self.hop_limit = hop_limit;
    }

    /// New keys for the node in `slot` (see KeyEpochs::install); their install number, 0 if the slot
    /// holds no node.
    pub fn add_channel(
        &mut self,
        slot: u16,
        send_key: [u8; 32],
        receive_key: [u8; 32],
        send_now: bool,
    ) -> u32 {
        match self.nodes.id(slot) {
            Some(peer) => {
                let channel = Channel::new(send_key, receive_key, self.my_id, peer);
                self.installs += 1;
                self.nodes
                    .set_channel(slot, channel, send_now, self.installs)
            }
            None => 0,
        }
    }

    /// With the frame at `outbound[FRAME_AT..]`, works out where it goes; returns how many sealed
    /// copies `outbound_seal` will be asked for.
    pub fn outbound_plan(&mut self, frame_len: usize, now_ms: u64) -> usize {
        self.destination_count = 0;
        self.frame_len = frame_len;
        if frame_len > FRAME_CAPACITY || frame_len < self.port_header + 14 {
            return 0;
        }
        let at = FRAME_AT + self.port_header;
        let destination = mac_from_bytes(&self.outbound[at..at + 6]);
        let home = if is_group_address(destination) {
            None
        } else {
            self.macs.lookup(destination, now_ms)
        };
        if let Some(home) = home.filter(|home| self.nodes.is_used(*home)) {
            self.kind = KIND_UNICAST;
            self.destinations[0] = home;
            self.destination_count = 1;
            return 1;
        }
        self.kind = KIND_BROADCAST_COPY;
        let mut slot = 0;
        while let Some(found) = self.nodes.next_routed(slot) {
            self.destinations[self.destination_count] = found;
            self.destination_count += 1;
            slot = found + 1;
        }
        if self.destination_count > 1 {
            self.plain[..frame_len].copy_from_slice(&self.outbound[FRAME_AT..FRAME_AT + frame_len]);
        }
        self.destination_count
    }

    /// Seals copy `index` of the planned frame into `outbound[..returned length]`, with the link to
    /// send it by in `result.link`; 0 when that destination has no route or no keys (counted).
    pub fn outbound_seal(&mut self, index: usize) -> usize {
        if index >= self.destination_count {
            return 0;
        }
        let slot = self.destinations[index];
        let link = match self.nodes.next_hop(slot) {
            Some(link) => link,
            None => {
                self.counters.no_route += 1;
                return 0;
            }
        };
        let channel = match self.nodes.channels(slot) {
            Some(channel) => channel,
            None => {
                self.counters.no_keys += 1;
                return 0;
            }
        };
        let frame_len = self.frame_len;
        if self.destination_count > 1 {
            self.outbound[FRAME_AT..FRAME_AT + frame_len].copy_from_slice(&self.plain[..frame_len]);
        }
        let length = FRAME_AT + frame_len + TAG_LEN;
        if channel
            .seal(self.kind, &mut self.outbound[RECORD_HEAD..length])
            .is_none()
        {
            self.counters.counter_exhausted += 1;
            return 0;
        }
        self.outbound[0] = self.record_type;
        self.outbound[1] = self.hop_limit;
        self.result = Verdict {
            link: link as u32,
            value: 0,
            slot: slot as u32,
        };
        length
    }

    /// Routes a record by its clear header, which must be at `inbound[..FRAME_AT]` (the rest of the
    /// record is not needed unless the answer is OpenHere).
    pub fn inbound_route(&mut self, record_len: usize) -> Inbound {
        if !(FRAME_AT + TAG_LEN..=RECORD_CAPACITY).contains(&record_len) {
            self.counters.bad_length += 1;
            return Inbound::Dropped;
        }
        let header = match frame_header::parse(&self.inbound[RECORD_HEAD..FRAME_AT]) {
            Some(header) => header,
            None => {
                self.counters.bad_header += 1;
                return Inbound::Dropped;
            }
        };
        if header.destination == self.my_id {
            return Inbound::OpenHere;
        }
        let hops = self.inbound[1];
        if hops <= 1 {
            self.counters.hop_limit += 1;
            return Inbound::Dropped;
        }
        let next = self
            .nodes
            .slot_of(&header.destination)
            .and_then(|slot| self.nodes.next_hop(slot));
        match next {
            Some(link) => {
                self.result = Verdict {
                    link: link as u32,
                    value: (hops - 1) as u32,
                    slot: 0,
                };
                Inbound::Forward
            }
            None => {
                self.counters.no_route += 1;
                Inbound::Dropped
            }
        }
    }

    /// Opens the whole record at `inbound[..record_len]` (after OpenHere) and learns its source MAC.
    pub fn inbound_open(&mut self, record_len: usize, now_ms: u64) -> Inbound {
        if !(FRAME_AT + TAG_LEN..=RECORD_CAPACITY).contains(&record_len) {
            self.counters.bad_length += 1;
            return Inbound::Dropped;
        }
        let source = match frame_header::parse(&self.inbound[RECORD_HEAD..FRAME_AT]) {
            Some(header) => self.nodes.slot_of(&header.source),
            None => None,
        };
        let (slot, channel) = match source
            .and_then(|slot| self.nodes.channels(slot).map(|channel| (slot, channel)))
        {
            Some(found) => found,
            None => {
                self.counters.unknown_source += 1;
                return Inbound::Dropped;
            }
        };
        if let Err(error) = channel.open(&mut self.inbound[RECORD_HEAD..record_len]) {
            let counter = match error {
                OpenError::Short => &mut self.counters.bad_length,
                OpenError::BadHeader => &mut self.counters.bad_header,
                OpenError::Auth => &mut self.counters.auth,
                OpenError::Replay => &mut self.counters.replay,
            };
            *counter += 1;
            return Inbound::Dropped;
        }
        let frame_len = record_len - FRAME_AT - TAG_LEN;
        let frame = &self.inbound[FRAME_AT..FRAME_AT + frame_len];
        if self.port_header == vnet_header::LENGTH && !vnet_header::is_plausible(frame) {
            self.counters.bad_offload += 1;
            return Inbound::Dropped;
        }
        if frame_len >= self.port_header + 12 {
            let at = FRAME_AT + self.port_header + 6;
            let source_mac = mac_from_bytes(&self.inbound[at..at + 6]);
            self.macs.learn(source_mac, slot, now_ms);
        }
        self.result = Verdict {
            link: 0,
            value: frame_len as u32,
            slot: slot as u32,
        };
        Inbound::Delivered
    }
}

#[cfg(test)]
#[path = "frame_path_test.rs"]
mod tests;
