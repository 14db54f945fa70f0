import { readUint32, writeUint32 } from "../../net/bytes.ts";
import type { UdpProbe } from "./probe.ts";
import { randomPositiveInt31 } from "./random.ts";

// ONC RPC (RFC 5531) on port 111: the NULL procedure of the portmapper, program 100000 version 2
// (RFC 1833 §3), which every rpcbind and portmap answers and which does nothing. AUTH_NONE credentials
// and verifier. Any well-formed reply with the call's xid proves RPC; what it says goes into the detail.
//
//   call:  xid | CALL (0) | rpcvers 2 | prog | vers | proc | cred (flavor, length, body) | verf (same)
//   reply: xid | REPLY (1) | MSG_ACCEPTED (0) | verf | accept_stat [| mismatch_info]
//                          | MSG_DENIED (1)   | reject_stat (RPC_MISMATCH low high | AUTH_ERROR stat)

export const RPCBIND_PORT = 111;
const CALL = 0;
const REPLY = 1;
const RPC_VERSION = 2;
const PORTMAP_PROGRAM = 100000;
const PORTMAP_VERSION = 2;
const NULL_PROCEDURE = 0;
const MSG_ACCEPTED = 0;
const MSG_DENIED = 1;
/** RFC 5531 §8.2: opaque auth bodies are at most 400 bytes. */
const MAX_AUTH_BODY = 400;
const ACCEPT_STATUS = [
  "SUCCESS",
  "PROG_UNAVAIL",
  "PROG_MISMATCH",
  "PROC_UNAVAIL",
  "GARBAGE_ARGS",
  "SYSTEM_ERR",
];
const PROG_MISMATCH = 2;
const RPC_MISMATCH = 0;
const AUTH_ERROR = 1;

export interface RpcbindProbeOptions {
  /** Transaction ID; random by default. */
  readonly xid?: number;
}

export function rpcbindProbe({ xid = randomPositiveInt31() }: RpcbindProbeOptions = {}): UdpProbe {
  const call = new Uint8Array(40);
  [xid, CALL, RPC_VERSION, PORTMAP_PROGRAM, PORTMAP_VERSION, NULL_PROCEDURE].forEach((word, i) =>
    writeUint32(call, i * 4, word)
  );
  // Bytes 24-39 stay zero: AUTH_NONE (0) with an empty body, for the credentials and the verifier.
  return {
    name: "rpcbind-null",
    payload: () => call.slice(),
    recognise(reply) {
      const words = (count: number, at: number) => at + count * 4 <= reply.length;
      if (!words(3, 0) || readUint32(reply, 0) !== xid || readUint32(reply, 4) !== REPLY) return undefined;
      const status = readUint32(reply, 8);
      if (status === MSG_DENIED) return describeDenial(reply, words);
      if (status !== MSG_ACCEPTED || !words(2, 12)) return undefined;
      const bodyLength = readUint32(reply, 16);
      if (bodyLength > MAX_AUTH_BODY) return undefined;
      // XDR pads opaque data to a multiple of 4 bytes.
      const at = 20 + Math.ceil(bodyLength / 4) * 4;
      if (!words(1, at)) return undefined;
      const accept = readUint32(reply, at);
      if (accept >= ACCEPT_STATUS.length) return undefined;
      if (accept !== PROG_MISMATCH) {
        return { service: "rpcbind", detail: `NULL call: ${ACCEPT_STATUS[accept]}` };
      }
      if (!words(3, at)) return undefined;
      const [low, high] = [readUint32(reply, at + 4), readUint32(reply, at + 8)];
      return { service: "rpcbind", detail: `PROG_MISMATCH, versions ${low} to ${high}` };
    },
  };
}

function describeDenial(reply: Uint8Array, words: (count: number, at: number) => boolean) {
  if (!words(1, 12)) return undefined;
  const reject = readUint32(reply, 12);
  if (reject === RPC_MISMATCH && words(3, 12)) {
    return {
      service: "rpcbind",
      detail: `denied: RPC versions ${readUint32(reply, 16)} to ${readUint32(reply, 20)}`,
    };
  }
  if (reject === AUTH_ERROR && words(2, 12)) {
    return { service: "rpcbind", detail: `denied: auth error ${readUint32(reply, 16)}` };
  }
  return undefined;
}
