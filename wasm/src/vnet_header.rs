//! The virtio_net_hdr in front of frames read from and written to TAPs with offloads: flags, GSO type,
//! header length, segment size, checksum start and offset (little-endian). A peer's frame carries the
//! header its TAP gave, and this node's kernel acts on it (segmenting, checksumming), so a delivered
//! frame must hold only what a Linux TAP with TSO4/TSO6 and checksum offload produces, with offsets
//! inside the frame: another member must not steer this node's kernel with made-up offload requests.

pub const LENGTH: usize = 10;
const NEEDS_CSUM: u8 = 1;
const DATA_VALID: u8 = 2;
const GSO_NONE: u8 = 0;
const GSO_TCPV4: u8 = 1;
const GSO_TCPV6: u8 = 4;
const GSO_ECN: u8 = 0x80;

fn le16(bytes: &[u8], at: usize) -> usize {
    u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize
}

/// Whether `frame` (virtio_net_hdr, then the Ethernet frame) asks only for what a TAP may ask for.
pub fn is_plausible(frame: &[u8]) -> bool {
    if frame.len() < LENGTH {
        return false;
    }
    let (flags, gso_type) = (frame[0], frame[1]);
    let (hdr_len, gso_size) = (le16(frame, 2), le16(frame, 4));
    let (csum_start, csum_offset) = (le16(frame, 6), le16(frame, 8));
    let payload = frame.len() - LENGTH;
    if flags & !(NEEDS_CSUM | DATA_VALID) != 0 {
        return false;
    }
    if flags & NEEDS_CSUM != 0 && csum_start + csum_offset + 2 > payload {
        return false;
    }
    match gso_type & !GSO_ECN {
        GSO_NONE => gso_type & GSO_ECN == 0,
        GSO_TCPV4 | GSO_TCPV6 => flags & NEEDS_CSUM != 0 && gso_size != 0 && hdr_len <= payload,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(header: [u8; LENGTH], payload: usize) -> std::vec::Vec<u8> {
        let mut frame = header.to_vec();
        frame.resize(LENGTH + payload, 0);
        frame
    }

    #[test]
    fn accepts_what_a_tap_hands_over() {
        // No offload; checksum done by the sender's kernel.
        assert!(is_plausible(&frame([0; 10], 60)));
        assert!(is_plausible(&frame(
            [DATA_VALID, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            60
        )));
        // A TCPv4 super-frame: checksum from byte 34, offset 16; 54-byte headers, 1448-byte segments.
        let tso = [NEEDS_CSUM, GSO_TCPV4, 54, 0, 0xa8, 0x05, 34, 0, 16, 0];
        assert!(is_plausible(&frame(tso, 65_000)));
        let tso6 = [
            NEEDS_CSUM,
            GSO_TCPV6 | GSO_ECN,
            74,
            0,
            0x94,
            0x05,
            54,
            0,
            16,
            0,
        ];
        assert!(is_plausible(&frame(tso6, 30_000)));
    }

    #[test]
    fn refuses_requests_a_tap_never_makes() {
        let tso = [NEEDS_CSUM, GSO_TCPV4, 54, 0, 0xa8, 0x05, 34, 0, 16, 0];
        let cases: [([u8; LENGTH], usize); 8] = [
            ([0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0], 60), // unknown flag
            ([NEEDS_CSUM, 0, 0, 0, 0, 0, 60, 0, 0, 0], 60), // checksum beyond the frame
            ([NEEDS_CSUM, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], 60),
            ([NEEDS_CSUM, 3, 54, 0, 0xa8, 0x05, 34, 0, 6, 0], 9000), // UDP fragmentation offload
            ([NEEDS_CSUM, 5, 54, 0, 0xa8, 0x05, 34, 0, 6, 0], 9000), // UDP L4 segmentation
            ([0, GSO_TCPV4, 54, 0, 0xa8, 0x05, 0, 0, 0, 0], 9000),   // GSO without checksum offload
            ([NEEDS_CSUM, GSO_TCPV4, 54, 0, 0, 0, 34, 0, 16, 0], 9000), // segment size 0
            ([0, GSO_ECN, 0, 0, 0, 0, 0, 0, 0, 0], 60),              // ECN without GSO
        ];
        for (header, payload) in cases {
            assert!(!is_plausible(&frame(header, payload)), "{header:?}");
        }
        assert!(
            !is_plausible(&frame(tso, 40)),
            "header length beyond the frame"
        );
        assert!(!is_plausible(&tso[..9]));
    }
}
