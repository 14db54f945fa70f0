import { toHexString } from "../../../net/bytes.ts";
import { assert, assertStrictEquals } from "../../../testing/assert.ts";
import type { UdpProbe } from "../probe.ts";

// Assertions shared by the probe tests.

/** Every strict prefix of `reply` is refused: the protocol frames its replies, so a cut one is broken. */
export function assertPrefixesRefused(probe: UdpProbe, reply: Uint8Array): void {
  for (let length = 0; length < reply.length; length++) {
    const prefix = reply.subarray(0, length);
    assertStrictEquals(
      probe.recognise(prefix),
      undefined,
      `${probe.name} accepted ${length} bytes: ${toHexString(prefix)}`,
    );
  }
}

/**
 * One byte changed: at `offset`, `was` becomes `becomes`. Naming the old value makes a wrong offset fail
 * loudly instead of passing for some other reason.
 */
export type ByteEdit = readonly [what: string, offset: number, was: number, becomes: number];

/** Each edit alone makes `reply` unrecognisable. */
export function assertEditsRefused(probe: UdpProbe, reply: Uint8Array, edits: readonly ByteEdit[]): void {
  assert(probe.recognise(reply), `${probe.name} refuses the unedited reply`);
  for (const [what, offset, was, becomes] of edits) {
    assertStrictEquals(reply[offset], was, `${what}: byte ${offset} is 0x${reply[offset]?.toString(16)}`);
    assertStrictEquals(
      probe.recognise(mutated(reply, (bytes) => (bytes[offset] = becomes))),
      undefined,
      what,
    );
  }
}

/** `reply` with `edit` applied to a copy. */
export function mutated(reply: Uint8Array, edit: (bytes: Uint8Array) => void): Uint8Array {
  const copy = reply.slice();
  edit(copy);
  return copy;
}
