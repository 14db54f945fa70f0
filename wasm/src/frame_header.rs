//! The clear header of a sealed frame, byte for byte as core/gloeth/crypto/frame_header.ts lays it out:
//! version 1, kind (1 unicast, 2 broadcast copy), source id (16), destination id (16), counter (u64
//! big-endian, at most 2^53 - 1 so JS peers read it exactly). It is also the AEAD's associated data.

pub const HEADER_LEN: usize = 42;
pub const VERSION: u8 = 1;
pub const KIND_UNICAST: u8 = 1;
pub const KIND_BROADCAST_COPY: u8 = 2;
pub const ID_LEN: usize = 16;
pub const LAST_COUNTER: u64 = (1 << 53) - 1;
pub const SOURCE_AT: usize = 2;
pub const DESTINATION_AT: usize = 18;
const COUNTER_AT: usize = 34;

pub type NodeId = [u8; ID_LEN];

pub struct Header {
    pub kind: u8,
    pub source: NodeId,
    pub destination: NodeId,
    pub counter: u64,
}

pub fn write(target: &mut [u8], kind: u8, source: &NodeId, destination: &NodeId, counter: u64) {
    target[0] = VERSION;
    target[1] = kind;
    target[SOURCE_AT..DESTINATION_AT].copy_from_slice(source);
    target[DESTINATION_AT..COUNTER_AT].copy_from_slice(destination);
    target[COUNTER_AT..HEADER_LEN].copy_from_slice(&counter.to_be_bytes());
}

/// The header at the start of `packet`, or None for an unknown version or kind or a counter beyond
/// 2^53 - 1. Nothing here is authenticated yet.
pub fn parse(packet: &[u8]) -> Option<Header> {
    if packet.len() < HEADER_LEN || packet[0] != VERSION {
        return None;
    }
    let kind = packet[1];
    if kind != KIND_UNICAST && kind != KIND_BROADCAST_COPY {
        return None;
    }
    let mut counter_bytes = [0u8; 8];
    counter_bytes.copy_from_slice(&packet[COUNTER_AT..HEADER_LEN]);
    let counter = u64::from_be_bytes(counter_bytes);
    if counter > LAST_COUNTER {
        return None;
    }
    let mut source = [0u8; ID_LEN];
    source.copy_from_slice(&packet[SOURCE_AT..DESTINATION_AT]);
    let mut destination = [0u8; ID_LEN];
    destination.copy_from_slice(&packet[DESTINATION_AT..COUNTER_AT]);
    Some(Header {
        kind,
        source,
        destination,
        counter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_parses_the_layout_of_frame_header_ts() {
        let mut bytes = [0u8; HEADER_LEN];
        write(
            &mut bytes,
            KIND_BROADCAST_COPY,
            &[0xaa; 16],
            &[0xbb; 16],
            0x1f_ffff_0000_0102,
        );
        assert_eq!(&bytes[..2], &[1, 2]);
        assert_eq!(&bytes[34..], &[0, 0x1f, 0xff, 0xff, 0, 0, 1, 2]);
        let header = parse(&bytes).unwrap();
        assert_eq!(
            (header.kind, header.source, header.destination),
            (2, [0xaa; 16], [0xbb; 16])
        );
        assert_eq!(header.counter, 0x1f_ffff_0000_0102);
    }

    #[test]
    fn refuses_other_versions_kinds_counters_and_short_input() {
        let mut bytes = [0u8; HEADER_LEN];
        write(&mut bytes, KIND_UNICAST, &[1; 16], &[2; 16], LAST_COUNTER);
        assert!(parse(&bytes).is_some());
        assert!(parse(&bytes[..HEADER_LEN - 1]).is_none());
        for (at, value) in [(0, 2u8), (1, 0), (1, 3), (34, 0x00), (35, 0x20)] {
            let mut changed = bytes;
            changed[at] = value;
            if at == 34 {
                changed[35] = 0x20; // counter 2^53
            }
            assert!(parse(&changed).is_none(), "byte {at} = {value}");
        }
    }
}
