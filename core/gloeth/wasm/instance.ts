// gloeth's frame path in WebAssembly (the Rust crate in wasm/): compiled once per process, instantiated
// once per user, since each instance is one node's state (MAC table, nodes, keys) in its own memory.
import { decodeBase64 } from "../../text/base64.ts";
import { frameModuleBase64 } from "./module_bytes.gen.ts";

/** The crate's exports (wasm/src/exports.rs). Pointers are offsets into `memory`. */
export interface FramePathExports {
  memory: WebAssembly.Memory;
  stage_pointer(): number;
  outbound_pointer(): number;
  inbound_pointer(): number;
  result_pointer(): number;
  counters_pointer(): number;
  aead_pointer(): number;
  frame_offset(): number;
  record_capacity(): number;
  configure(
    portHeader: number,
    recordType: number,
    hopLimit: number,
    macTtlMs: number,
    seedLow: number,
    seedHigh: number,
  ): void;
  node_add(): number;
  node_remove(slot: number): void;
  node_set_next_hop(slot: number, link: number): void;
  node_set_keys(slot: number, sendNow: number): number;
  node_promote(slot: number): void;
  node_drop_through(slot: number, through: number): void;
  node_clear_keys(slot: number): void;
  outbound_plan(frameLength: number, nowMs: number): number;
  outbound_seal(index: number): number;
  inbound_route(recordLength: number): number;
  inbound_open(recordLength: number, nowMs: number): number;
  macs_expire(nowMs: number): number;
  macs_count(): number;
  macs_forget(slot: number): number;
  macs_next(index: number): number;
  aead_seal(aadLength: number, dataLength: number): number;
  aead_open(aadLength: number, sealedLength: number): number;
}

let compiled: WebAssembly.Module | undefined;

export function instantiateFramePath(): FramePathExports {
  compiled ??= new WebAssembly.Module(decodeBase64(frameModuleBase64) as Uint8Array<ArrayBuffer>);
  // The crate imports nothing: no host calls, no clock, no allocator growth.
  return new WebAssembly.Instance(compiled, {}).exports as unknown as FramePathExports;
}
