//! The wasm ABI: one FramePath and a few buffers in linear memory, driven by TypeScript (see
//! core/gloeth/wasm/frame_path.ts). Linear memory never grows after start, so the TypeScript views of
//! these buffers stay valid. Arguments come from our own TypeScript, but are still checked: a bad slot or
//! length is refused, never a trap.

use crate::aead;
use crate::frame_header::ID_LEN;
use crate::frame_path::{FramePath, FRAME_AT, FRAME_CAPACITY, RECORD_CAPACITY};
use crate::poly1305::TAG_LEN;
use core::mem::MaybeUninit;
use core::ptr::addr_of_mut;

static mut PATH: MaybeUninit<FramePath> = MaybeUninit::uninit();
static mut READY: bool = false;
/// Small arguments: node ids, keys, a MAC entry being listed.
static mut STAGE: [u8; 64] = [0; 64];

pub const AEAD_KEY_AT: usize = 0;
pub const AEAD_NONCE_AT: usize = 32;
pub const AEAD_AAD_AT: usize = 64;
pub const AEAD_AAD_CAPACITY: usize = 1024;
pub const AEAD_DATA_AT: usize = AEAD_AAD_AT + AEAD_AAD_CAPACITY;
static mut AEAD_AREA: [u8; AEAD_DATA_AT + FRAME_CAPACITY + TAG_LEN] =
    [0; AEAD_DATA_AT + FRAME_CAPACITY + TAG_LEN];

fn path() -> &'static mut FramePath {
    // SAFETY: wasm here is single-threaded and every export runs to completion before the next; init()
    // zeroed the memory, and all-zero bytes are a valid FramePath (integers, arrays and bools only).
    unsafe {
        if !READY {
            core::ptr::write_bytes(addr_of_mut!(PATH) as *mut FramePath, 0, 1);
            READY = true;
        }
        (*addr_of_mut!(PATH)).assume_init_mut()
    }
}

fn stage() -> &'static mut [u8; 64] {
    // SAFETY: as for path().
    unsafe { &mut *addr_of_mut!(STAGE) }
}

fn aead_area() -> &'static mut [u8; AEAD_DATA_AT + FRAME_CAPACITY + TAG_LEN] {
    // SAFETY: as for path().
    unsafe { &mut *addr_of_mut!(AEAD_AREA) }
}

fn staged_id() -> [u8; ID_LEN] {
    let mut id = [0u8; ID_LEN];
    id.copy_from_slice(&stage()[..ID_LEN]);
    id
}

fn ms(now: f64) -> u64 {
    if now > 0.0 {
        now as u64
    } else {
        0
    }
}

#[no_mangle]
pub extern "C" fn stage_pointer() -> *mut u8 {
    stage().as_mut_ptr()
}

#[no_mangle]
pub extern "C" fn outbound_pointer() -> *mut u8 {
    path().outbound.as_mut_ptr()
}

#[no_mangle]
pub extern "C" fn inbound_pointer() -> *mut u8 {
    path().inbound.as_mut_ptr()
}

#[no_mangle]
pub extern "C" fn result_pointer() -> *mut u8 {
    addr_of_mut!(path().result) as *mut u8
}

#[no_mangle]
pub extern "C" fn counters_pointer() -> *mut u8 {
    addr_of_mut!(path().counters) as *mut u8
}

#[no_mangle]
pub extern "C" fn frame_offset() -> u32 {
    FRAME_AT as u32
}

#[no_mangle]
pub extern "C" fn record_capacity() -> u32 {
    RECORD_CAPACITY as u32
}

/// Starts over: the node id is in the stage; the seed keeps MAC table buckets unpredictable.
#[no_mangle]
pub extern "C" fn configure(
    port_header: u32,
    record_type: u32,
    hop_limit: u32,
    mac_ttl_ms: f64,
    seed_low: u32,
    seed_high: u32,
) {
    let id = staged_id();
    let path = path();
    // SAFETY: `path` is the only live reference, and zero bytes are a valid FramePath (see path()).
    unsafe { core::ptr::write_bytes(path as *mut FramePath, 0, 1) };
    path.configure(id, port_header as usize, record_type as u8, hop_limit as u8);
    path.macs
        .reset(ms(mac_ttl_ms), (seed_high as u64) << 32 | seed_low as u64);
}

/// The slot of the node whose id is in the stage (added if new), or -1 when every slot is taken.
#[no_mangle]
pub extern "C" fn node_add() -> i32 {
    path()
        .nodes
        .add(&staged_id())
        .map_or(-1, |slot| slot as i32)
}

#[no_mangle]
pub extern "C" fn node_remove(slot: u32) {
    let path = path();
    path.macs.forget_node(slot as u16);
    path.nodes.remove(slot as u16);
}

#[no_mangle]
pub extern "C" fn node_set_next_hop(slot: u32, link: u32) {
    path().nodes.set_next_hop(slot as u16, link as u16);
}

/// Send key then receive key, 32 bytes each, from the stage, which is wiped afterwards. With
/// `send_now` 0 (this node's own rotation), sealing stays on the keys in use until node_promote or the
/// peer's confirmation. Returns the channel's install number (for node_drop_through), 0 for no such node.
#[no_mangle]
pub extern "C" fn node_set_keys(slot: u32, send_now: u32) -> u32 {
    let stage = stage();
    let mut send_key = [0u8; 32];
    let mut receive_key = [0u8; 32];
    send_key.copy_from_slice(&stage[..32]);
    receive_key.copy_from_slice(&stage[32..64]);
    *stage = [0; 64];
    path().add_channel(slot as u16, send_key, receive_key, send_now != 0)
}

#[no_mangle]
pub extern "C" fn node_promote(slot: u32) {
    if let Some(channels) = path().nodes.channels(slot as u16) {
        channels.promote();
    }
}

/// Wipes the node's channels installed up to number `through`, except the newest and the sealing one.
#[no_mangle]
pub extern "C" fn node_drop_through(slot: u32, through: u32) {
    if let Some(channels) = path().nodes.channels(slot as u16) {
        channels.drop_through(through);
    }
}

#[no_mangle]
pub extern "C" fn node_clear_keys(slot: u32) {
    path().nodes.clear_channels(slot as u16);
}

#[no_mangle]
pub extern "C" fn outbound_plan(frame_len: u32, now_ms: f64) -> u32 {
    path().outbound_plan(frame_len as usize, ms(now_ms)) as u32
}

#[no_mangle]
pub extern "C" fn outbound_seal(index: u32) -> u32 {
    path().outbound_seal(index as usize) as u32
}

#[no_mangle]
pub extern "C" fn inbound_route(record_len: u32) -> u32 {
    path().inbound_route(record_len as usize) as u32
}

#[no_mangle]
pub extern "C" fn inbound_open(record_len: u32, now_ms: f64) -> u32 {
    path().inbound_open(record_len as usize, ms(now_ms)) as u32
}

#[no_mangle]
pub extern "C" fn macs_expire(now_ms: f64) -> u32 {
    path().macs.expire(ms(now_ms)) as u32
}

#[no_mangle]
pub extern "C" fn macs_forget(slot: u32) -> u32 {
    path().macs.forget_node(slot as u16) as u32
}

#[no_mangle]
pub extern "C" fn macs_count() -> u32 {
    path().macs.len() as u32
}

/// The next MAC entry at `index` or after: its index, with MAC (6 bytes), home slot (u16 LE) and
/// learned time (f64 LE, ms) in the stage; -1 past the last.
#[no_mangle]
pub extern "C" fn macs_next(index: u32) -> i32 {
    match path().macs.next_entry(index as usize) {
        Some((at, mac, home, learned_ms)) => {
            let stage = stage();
            stage[..6].copy_from_slice(&mac.to_be_bytes()[2..]);
            stage[6..8].copy_from_slice(&home.to_le_bytes());
            stage[8..16].copy_from_slice(&(learned_ms as f64).to_le_bytes());
            at as i32
        }
        None => -1,
    }
}

#[no_mangle]
pub extern "C" fn aead_pointer() -> *mut u8 {
    aead_area().as_mut_ptr()
}

fn aead_parts(aad_len: u32, data_len: u32) -> Option<([u8; 32], [u8; 12], usize, usize)> {
    let (aad_len, data_len) = (aad_len as usize, data_len as usize);
    if aad_len > AEAD_AAD_CAPACITY || data_len > FRAME_CAPACITY {
        return None;
    }
    let area = aead_area();
    let mut key = [0u8; 32];
    let mut nonce = [0u8; 12];
    key.copy_from_slice(&area[AEAD_KEY_AT..AEAD_KEY_AT + 32]);
    nonce.copy_from_slice(&area[AEAD_NONCE_AT..AEAD_NONCE_AT + 12]);
    Some((key, nonce, aad_len, data_len))
}

/// Seals the data in the AEAD area in place, the tag right behind it; 0 if a length is too big.
#[no_mangle]
pub extern "C" fn aead_seal(aad_len: u32, data_len: u32) -> u32 {
    let (key, nonce, aad_len, data_len) = match aead_parts(aad_len, data_len) {
        Some(parts) => parts,
        None => return 0,
    };
    let (head, data) = aead_area().split_at_mut(AEAD_DATA_AT);
    let tag = aead::seal(
        &key,
        &nonce,
        &head[AEAD_AAD_AT..AEAD_AAD_AT + aad_len],
        &mut data[..data_len],
    );
    data[data_len..data_len + TAG_LEN].copy_from_slice(&tag);
    1
}

/// Opens the data (ciphertext then tag, `sealed_len` bytes) in place: 1 when the tag verified.
#[no_mangle]
pub extern "C" fn aead_open(aad_len: u32, sealed_len: u32) -> u32 {
    if (sealed_len as usize) < TAG_LEN {
        return 0;
    }
    let (key, nonce, aad_len, data_len) = match aead_parts(aad_len, sealed_len - TAG_LEN as u32) {
        Some(parts) => parts,
        None => return 0,
    };
    let (head, data) = aead_area().split_at_mut(AEAD_DATA_AT);
    let (data, tag) = data.split_at_mut(data_len);
    aead::open(
        &key,
        &nonce,
        &head[AEAD_AAD_AT..AEAD_AAD_AT + aad_len],
        data,
        &tag[..TAG_LEN],
    ) as u32
}
