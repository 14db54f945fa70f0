// A node's frame path, run by the Rust crate (wasm/src/frame_path.rs): the MAC table, each node's next
// hop and end-to-end channel, sealing for the port's frames and routing or opening the links' records.
// This side keeps the names (node ids ↔ slots) and moves bytes in and out of the instance's buffers;
// frames are sealed in place there, so a frame costs one copy in and, when kept, one copy out.
import { type MacAddress, readMac } from "../../net/mac.ts";
import { type NodeId, nodeIdToBytes } from "../crypto/node_id.ts";
import type { PairKeys } from "../crypto/pair_keys.ts";
import { type FramePathExports, instantiateFramePath } from "./instance.ts";

/** What receive() made of a record (the crate's Inbound). */
export const Inbound = { dropped: 0, forward: 1, openHere: 2, delivered: 3 } as const;
export type InboundVerdict = 0 | 1 | 3;

const NO_LINK = 0xffff;
const KEY_LENGTH = 32;

/** Frames refused, by reason: the crate's Counters, in its field order. */
const COUNTER_NAMES = [
  "noRoute",
  "noKeys",
  "hopLimit",
  "counterExhausted",
  "badLength",
  "badHeader",
  "auth",
  "replay",
  "unknownSource",
  "badOffload",
] as const;
export type FramePathCounters = Record<typeof COUNTER_NAMES[number], number>;

export interface FramePathOptions {
  myId: NodeId;
  /** Bytes before the Ethernet header of every port frame (virtio-net header). */
  portHeader: number;
  /** The link record's type byte for frames, and the hop limit a new record starts with. */
  recordType: number;
  hopLimit: number;
  macTtlMs?: number;
}

export class WasmFramePath {
  readonly #wasm: FramePathExports;
  readonly #stage: Uint8Array;
  readonly #outbound: Uint8Array;
  readonly #inbound: Uint8Array;
  readonly #result: Uint32Array;
  readonly #counters: Uint32Array;
  readonly #frameAt: number;
  readonly #recordCapacity: number;
  readonly #slots = new Map<NodeId, number>();
  readonly #idBySlot: (NodeId | undefined)[] = [];

  constructor(options: FramePathOptions) {
    const wasm = this.#wasm = instantiateFramePath();
    const memory = wasm.memory.buffer;
    this.#frameAt = wasm.frame_offset();
    this.#recordCapacity = wasm.record_capacity();
    this.#stage = new Uint8Array(memory, wasm.stage_pointer(), 64);
    this.#outbound = new Uint8Array(memory, wasm.outbound_pointer(), this.#recordCapacity);
    this.#inbound = new Uint8Array(memory, wasm.inbound_pointer(), this.#recordCapacity);
    this.#result = new Uint32Array(memory, wasm.result_pointer(), 3);
    this.#counters = new Uint32Array(memory, wasm.counters_pointer(), COUNTER_NAMES.length);
    this.#stage.set(nodeIdToBytes(options.myId));
    const seed = crypto.getRandomValues(new Uint32Array(2));
    wasm.configure(
      options.portHeader,
      options.recordType,
      options.hopLimit,
      options.macTtlMs ?? 300_000,
      seed[0],
      seed[1],
    );
  }

  /** The largest frame send() takes. */
  get frameCapacity(): number {
    return this.#recordCapacity - this.#frameAt - 16;
  }

  #slot(nodeId: NodeId): number | undefined {
    const known = this.#slots.get(nodeId);
    if (known !== undefined) return known;
    this.#stage.set(nodeIdToBytes(nodeId));
    const slot = this.#wasm.node_add();
    if (slot < 0) return undefined; // every slot taken: this node stays unreachable
    this.#slots.set(nodeId, slot);
    this.#idBySlot[slot] = nodeId;
    return slot;
  }

  /** Installs the next hop of every routed node; nodes not in `nextHops` lose theirs. */
  setRoutes(nextHops: ReadonlyMap<NodeId, NodeId>): void {
    for (const [nodeId, slot] of this.#slots) {
      if (!nextHops.has(nodeId)) this.#wasm.node_set_next_hop(slot, NO_LINK);
    }
    for (const [nodeId, nextHop] of nextHops) {
      const slot = this.#slot(nodeId);
      const link = this.#slot(nextHop);
      if (slot !== undefined) this.#wasm.node_set_next_hop(slot, link ?? NO_LINK);
    }
  }

  /**
   * The end-to-end keys for `nodeId`: a new channel, counters from zero; returns its install number
   * (0 when no slot is free). Earlier channels still open frames until dropThrough(); with `sendNow`
   * false (this node rotated its own session key, the peer cannot have the new keys yet) sealing stays
   * on the channel in use until promote() or a frame from the peer under the new keys.
   */
  setKeys(nodeId: NodeId, keys: PairKeys, sendNow = true): number {
    if (keys.sendKey.length !== KEY_LENGTH || keys.receiveKey.length !== KEY_LENGTH) {
      throw new RangeError(`pair keys must be ${KEY_LENGTH} bytes each`);
    }
    if (keys.sendKey.every((byte, i) => byte === keys.receiveKey[i])) {
      throw new RangeError("send and receive keys are equal: both directions would share nonces");
    }
    const slot = this.#slot(nodeId);
    if (slot === undefined) return 0;
    this.#stage.set(keys.sendKey, 0);
    this.#stage.set(keys.receiveKey, KEY_LENGTH);
    return this.#wasm.node_set_keys(slot, sendNow ? 1 : 0); // wipes the stage
  }

  /** Seals for `nodeId` with the newest keys from now on. */
  promote(nodeId: NodeId): void {
    const slot = this.#slots.get(nodeId);
    if (slot !== undefined) this.#wasm.node_promote(slot);
  }

  /** Wipes `nodeId`'s channels installed up to number `through`, except the newest and the sealing one. */
  dropThrough(nodeId: NodeId, through: number): void {
    const slot = this.#slots.get(nodeId);
    if (slot !== undefined) this.#wasm.node_drop_through(slot, through);
  }

  /** Forgets a node: keys, route and the MAC addresses learned behind it. */
  forget(nodeId: NodeId): void {
    const slot = this.#slots.get(nodeId);
    if (slot === undefined) return;
    this.#wasm.node_remove(slot);
    this.#slots.delete(nodeId);
    this.#idBySlot[slot] = undefined;
  }

  /** Forgets the MAC addresses learned behind `nodeId` (it became unreachable), keeping its keys. */
  forgetMacsOf(nodeId: NodeId): number {
    const slot = this.#slots.get(nodeId);
    return slot === undefined ? 0 : this.#wasm.macs_forget(slot);
  }

  /** Where sendStaged() takes its frame from: a port reads frames straight into it. */
  get portInput(): Uint8Array {
    return this.#outbound.subarray(this.#frameAt, this.#frameAt + this.frameCapacity);
  }

  /**
   * Seals `frame` for where its destination MAC lives (or a copy for every routed node) and hands each
   * record to `emit` with the node id of the neighbour it leaves by. The record is the caller's to keep.
   */
  send(frame: Uint8Array, nowMs: number, emit: (nextHop: NodeId, record: Uint8Array) => void): number {
    if (frame.length > this.frameCapacity) return 0;
    this.portInput.set(frame);
    return this.sendStaged(frame.length, nowMs, (nextHop, record) => emit(nextHop, record.slice()));
  }

  /**
   * send() for a frame of `length` bytes already in portInput. The record `emit` gets is a view into
   * the instance, valid only during the call (a link's send queue copies it; nothing is allocated).
   */
  sendStaged(length: number, nowMs: number, emit: (nextHop: NodeId, record: Uint8Array) => void): number {
    const copies = this.#wasm.outbound_plan(length, nowMs);
    let sent = 0;
    for (let i = 0; i < copies; i++) {
      const length = this.#wasm.outbound_seal(i);
      if (length === 0) continue;
      const nextHop = this.#idBySlot[this.#result[0]];
      if (nextHop === undefined) continue;
      emit(nextHop, this.#outbound.subarray(0, length));
      sent++;
    }
    return sent;
  }

  /**
   * Routes or opens a record from a link. forward: send the record on to `forwardTo` with its hop byte
   * set to `forwardHops`; delivered: the frame is `deliveredFrame`, valid until the next call.
   */
  receive(record: Uint8Array, nowMs: number): InboundVerdict {
    // Only the clear header is needed to route; the crate checks the length before anything is copied.
    this.#inbound.set(record.subarray(0, this.#frameAt));
    const route = this.#wasm.inbound_route(record.length);
    if (route !== Inbound.openHere) return route as InboundVerdict;
    this.#inbound.set(record);
    return this.#wasm.inbound_open(record.length, nowMs) as InboundVerdict;
  }

  get forwardTo(): NodeId | undefined {
    return this.#idBySlot[this.#result[0]];
  }

  get forwardHops(): number {
    return this.#result[1];
  }

  /** The frame of the last delivered record: a view into the instance, overwritten by the next call. */
  get deliveredFrame(): Uint8Array {
    return this.#inbound.subarray(this.#frameAt, this.#frameAt + this.#result[1]);
  }

  /** Who sent the last delivered record. */
  get deliveredFrom(): NodeId | undefined {
    return this.#idBySlot[this.#result[2]];
  }

  counters(): FramePathCounters {
    return Object.fromEntries(COUNTER_NAMES.map((name, i) => [name, this.#counters[i]])) as FramePathCounters;
  }

  expireMacs(nowMs: number): number {
    return this.#wasm.macs_expire(nowMs);
  }

  get macCount(): number {
    return this.#wasm.macs_count();
  }

  /** The MAC table, for status views. */
  macEntries(): { mac: MacAddress; home: NodeId; learnedAt: number }[] {
    const entries = [];
    const view = new DataView(this.#stage.buffer, this.#stage.byteOffset, 16);
    for (let index = this.#wasm.macs_next(0); index >= 0; index = this.#wasm.macs_next(index + 1)) {
      const home = this.#idBySlot[view.getUint16(6, true)];
      if (home !== undefined) {
        entries.push({ mac: readMac(this.#stage, 0), home, learnedAt: view.getFloat64(8, true) });
      }
    }
    return entries;
  }
}
