use super::*;
use std::boxed::Box;
use std::vec::Vec;

const PORT_HEADER: usize = 12;
const FRAME_RECORD: u8 = 7;

fn node(id: u8) -> Box<FramePath> {
    let mut path = crate::test_support::zeroed_box::<FramePath>();
    path.macs.reset(300_000, 99);
    path.configure([id; 16], PORT_HEADER, FRAME_RECORD, 16);
    path
}

/// Keys for the pair (a, b): a sends with a's key, b receives with it, and the other way round.
fn connect(a: &mut FramePath, b: &mut FramePath) {
    let (a_id, b_id) = (a.my_id, b.my_id);
    let (a_key, b_key) = ([a_id[0]; 32], [b_id[0] ^ 0x80; 32]);
    let slot_of_b = a.nodes.add(&b_id).unwrap();
    a.add_channel(slot_of_b, a_key, b_key, true);
    let slot_of_a = b.nodes.add(&a_id).unwrap();
    b.add_channel(slot_of_a, b_key, a_key, true);
}

fn route(from: &mut FramePath, to: &FramePath, link: u16) {
    let slot = from.nodes.add(&to.my_id).unwrap();
    from.nodes.set_next_hop(slot, link);
}

fn ethernet(destination: [u8; 6], source: [u8; 6], payload: &[u8]) -> Vec<u8> {
    let mut frame = std::vec![0xeeu8; PORT_HEADER];
    frame.extend_from_slice(&destination);
    frame.extend_from_slice(&source);
    frame.extend_from_slice(&[0x08, 0x00]);
    frame.extend_from_slice(payload);
    frame
}

fn send(from: &mut FramePath, frame: &[u8]) -> Vec<(u32, Vec<u8>)> {
    from.outbound[FRAME_AT..FRAME_AT + frame.len()].copy_from_slice(frame);
    let count = from.outbound_plan(frame.len(), 1_000);
    (0..count)
        .filter_map(|i| {
            let length = from.outbound_seal(i);
            (length > 0).then(|| (from.result.link, from.outbound[..length].to_vec()))
        })
        .collect()
}

fn receive(at: &mut FramePath, record: &[u8]) -> (Inbound, Vec<u8>) {
    let head = record.len().min(FRAME_AT);
    at.inbound[..head].copy_from_slice(&record[..head]);
    match at.inbound_route(record.len()) {
        Inbound::OpenHere => {}
        other => return (other, Vec::new()),
    }
    at.inbound[..record.len()].copy_from_slice(record);
    let verdict = at.inbound_open(record.len(), 2_000);
    let frame = at.inbound[FRAME_AT..FRAME_AT + at.result.value as usize].to_vec();
    (
        verdict,
        if verdict == Inbound::Delivered {
            frame
        } else {
            Vec::new()
        },
    )
}

const MAC_A: [u8; 6] = [0x52, 0x54, 0, 0, 0, 0xa];
const MAC_C: [u8; 6] = [0x52, 0x54, 0, 0, 0, 0xc];
const BROADCAST: [u8; 6] = [0xff; 6];

#[test]
fn a_broadcast_is_sealed_per_node_and_the_answer_goes_unicast_through_the_relay() {
    let (mut a, mut b, mut c) = (node(0xa), node(0xb), node(0xc));
    connect(&mut a, &mut b);
    connect(&mut a, &mut c);
    connect(&mut b, &mut c);
    // Chain a - b - c: a reaches b and c by link 1, c reaches a and b by link 2, b has links 1 (to a) and 2 (to c).
    route(&mut a, &b, 1);
    route(&mut a, &c, 1);
    route(&mut c, &a, 2);
    route(&mut c, &b, 2);
    route(&mut b, &a, 1);
    route(&mut b, &c, 2);

    let arp = ethernet(BROADCAST, MAC_A, b"who has 10.0.0.3");
    let copies = send(&mut a, &arp);
    assert_eq!(copies.len(), 2);
    assert!(copies
        .iter()
        .all(|(link, record)| *link == 1 && record[0] == FRAME_RECORD && record[1] == 16));
    assert!(copies
        .iter()
        .all(|(_, record)| record[RECORD_HEAD + 1] == KIND_BROADCAST_COPY));
    assert!(
        !copies[0].1.windows(6).any(|w| w == b"who ha"),
        "the payload travels sealed"
    );

    let (to_b, to_c) = if copies[0].1[RECORD_HEAD + 18] == 0xb {
        (&copies[0].1, &copies[1].1)
    } else {
        (&copies[1].1, &copies[0].1)
    };
    assert_eq!(receive(&mut b, to_b), (Inbound::Delivered, arp.clone()));
    // b only relays c's copy, and cannot open it.
    assert_eq!(receive(&mut b, to_c).0, Inbound::Forward);
    assert_eq!((b.result.link, b.result.value), (2, 15));
    let mut relayed = to_c.clone();
    relayed[1] = 15;
    assert_eq!(receive(&mut c, &relayed), (Inbound::Delivered, arp.clone()));
    assert_eq!(receive(&mut c, &relayed).0, Inbound::Dropped, "a replay");
    assert_eq!(c.counters.replay, 1);

    // c learned where MAC_A lives: its answer is one unicast copy, for a only.
    let answer = ethernet(MAC_A, MAC_C, b"10.0.0.3 is at 52:54:00:00:00:0c");
    let copies = send(&mut c, &answer);
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].1[RECORD_HEAD + 1], KIND_UNICAST);
    assert_eq!(receive(&mut b, &copies[0].1).0, Inbound::Forward);
    assert_eq!(receive(&mut a, &copies[0].1), (Inbound::Delivered, answer));
}

#[test]
fn drops_are_counted_by_reason() {
    let (mut a, mut b) = (node(0xa), node(0xb));
    connect(&mut a, &mut b);
    route(&mut a, &b, 1);
    let frame = ethernet(BROADCAST, MAC_A, b"x");
    let record = send(&mut a, &frame).remove(0).1;

    let mut tampered = record.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert_eq!(receive(&mut b, &tampered).0, Inbound::Dropped);
    assert_eq!(b.counters.auth, 1);

    let mut no_hops = record.clone();
    no_hops[RECORD_HEAD + 18] = 0xd; // for a node b has no route to
    assert_eq!(receive(&mut b, &no_hops).0, Inbound::Dropped);
    assert_eq!(b.counters.no_route, 1);
    no_hops[1] = 1;
    assert_eq!(receive(&mut b, &no_hops).0, Inbound::Dropped);
    assert_eq!(b.counters.hop_limit, 1);

    assert_eq!(
        receive(&mut b, &record[..FRAME_AT + TAG_LEN - 1]).0,
        Inbound::Dropped
    );
    assert_eq!(b.counters.bad_length, 1);
    let mut bad_version = record.clone();
    bad_version[RECORD_HEAD] = 9;
    assert_eq!(receive(&mut b, &bad_version).0, Inbound::Dropped);
    assert_eq!(b.counters.bad_header, 1);

    let stranger = node(0xe);
    let mut from_stranger = record.clone();
    from_stranger[RECORD_HEAD + 2..RECORD_HEAD + 18].copy_from_slice(&stranger.my_id);
    assert_eq!(receive(&mut b, &from_stranger).0, Inbound::Dropped);
    assert_eq!(b.counters.unknown_source, 1);

    assert_eq!(receive(&mut b, &record), (Inbound::Delivered, frame));

    // A known home without a route, and a node with a route but no keys yet.
    route(&mut b, &a, 1);
    let from_b = ethernet(MAC_A, [0x52, 0x54, 0, 0, 0, 0xb], b"y");
    let record = send(&mut b, &from_b).remove(0).1;
    assert_eq!(receive(&mut a, &record).0, Inbound::Delivered);
    let slot_of_b = a.nodes.slot_of(&b.my_id).unwrap();
    a.nodes.set_next_hop(slot_of_b, crate::node_slots::NO_LINK);
    let unicast_to_b = ethernet([0x52, 0x54, 0, 0, 0, 0xb], MAC_A, b"z");
    assert!(send(&mut a, &unicast_to_b).is_empty());
    assert_eq!(a.counters.no_route, 1);
    let d = node(0xd);
    route(&mut a, &d, 1);
    assert!(
        send(&mut a, &ethernet(BROADCAST, MAC_A, b"all")).is_empty(),
        "only d has a route, and no keys"
    );
    assert_eq!(a.counters.no_keys, 1);
}

#[test]
fn every_mutation_of_a_record_is_dropped_or_delivered_intact_and_never_panics() {
    let (mut a, mut b) = (node(0xa), node(0xb));
    connect(&mut a, &mut b);
    route(&mut a, &b, 1);
    route(&mut b, &a, 1);
    let mut x: u32 = 12345;
    let mut random = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let mut delivered = 0;
    for round in 0..3000 {
        let frame = ethernet(
            BROADCAST,
            MAC_A,
            &std::vec![round as u8; (random() % 200) as usize],
        );
        let mut record = send(&mut a, &frame).remove(0).1;
        match random() % 4 {
            0 => record.truncate((random() as usize) % record.len()),
            1 => {
                let at = random() as usize % record.len();
                record[at] ^= 1 + (random() % 255) as u8;
            }
            2 => record.extend_from_slice(&[0u8; 3]),
            _ => {}
        }
        let (verdict, opened) = receive(&mut b, &record);
        if verdict == Inbound::Delivered {
            assert_eq!(opened, frame);
            delivered += 1;
        }
    }
    assert!(
        delivered > 600 && delivered < 1100,
        "{delivered} intact records delivered"
    );
}

#[test]
fn a_frame_whose_offload_header_no_tap_would_write_is_not_delivered() {
    let mut a = crate::test_support::zeroed_box::<FramePath>();
    let mut b = crate::test_support::zeroed_box::<FramePath>();
    a.macs.reset(300_000, 1);
    b.macs.reset(300_000, 2);
    a.configure([0xa; 16], 10, FRAME_RECORD, 16);
    b.configure([0xb; 16], 10, FRAME_RECORD, 16);
    connect(&mut a, &mut b);
    route(&mut a, &b, 1);
    let with_header = |header: [u8; 10]| {
        let mut frame = header.to_vec();
        frame.extend_from_slice(&[0xff; 6]);
        frame.extend_from_slice(&MAC_A);
        frame.extend_from_slice(&[0x08, 0x00, 1, 2, 3, 4]);
        frame
    };
    let plain = with_header([0; 10]);
    let record = send(&mut a, &plain).remove(0).1;
    assert_eq!(receive(&mut b, &record), (Inbound::Delivered, plain));
    // UDP fragmentation offload, which this node's TAP was never set up for.
    let steering = with_header([1, 3, 14, 0, 0xa8, 0x05, 0, 0, 6, 0]);
    let record = send(&mut a, &steering).remove(0).1;
    assert_eq!(receive(&mut b, &record).0, Inbound::Dropped);
    assert_eq!(b.counters.bad_offload, 1);
}
