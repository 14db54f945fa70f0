import { readUint16, writeUint16 } from "../../net/bytes.ts";
import type { UdpProbe } from "./probe.ts";
import { randomUint16 } from "./random.ts";
import { printable } from "./text.ts";

// memcached on port 11211, ASCII protocol over UDP (protocol.txt, "UDP protocol"): every datagram starts
// with an 8-byte frame header, request ID, sequence number, datagram count, reserved 0, and the server
// echoes the request ID. The command is "stats", whose first lines name the version; its reply spans
// several datagrams, any one of which is recognised, and the first (sequence number 0) holds
// "STAT version". UDP is off by default since memcached 1.5.6 (it was an amplification vector), so most
// servers stay silent here.

export const MEMCACHED_PORT = 11211;
const FRAME_HEADER_LENGTH = 8;
const COMMAND = new TextEncoder().encode("stats\r\n");

export interface MemcachedProbeOptions {
  /** Request ID of the frame header; random by default. */
  readonly requestId?: number;
}

export function memcachedProbe({ requestId = randomUint16() }: MemcachedProbeOptions = {}): UdpProbe {
  const request = new Uint8Array(FRAME_HEADER_LENGTH + COMMAND.length);
  writeUint16(request, 0, requestId);
  writeUint16(request, 2, 0);
  writeUint16(request, 4, 1);
  request.set(COMMAND, FRAME_HEADER_LENGTH);
  return {
    name: "memcached-stats",
    payload: () => request.slice(),
    recognise(reply) {
      if (reply.length <= FRAME_HEADER_LENGTH || readUint16(reply, 0) !== requestId) return undefined;
      const sequence = readUint16(reply, 2);
      const total = readUint16(reply, 4);
      if (sequence >= total || readUint16(reply, 6) !== 0) return undefined;
      const body = String.fromCharCode(...reply.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + 4096));
      // ASCII protocol replies are text lines; an echo of the probe ("stats") is not a reply.
      if (!/^[\x20-\x7e\r\n]*$/.test(body)) return undefined;
      if (sequence === 0 && !/^(STAT |END\r\n|ERROR|CLIENT_ERROR|SERVER_ERROR)/.test(body)) return undefined;
      const version = /(?:^|\n)STAT version ([^\r\n]*)/.exec(body);
      return {
        service: "memcached",
        detail: version ? printable(`version ${version[1]}`) : `stats datagram ${sequence + 1} of ${total}`,
      };
    },
  };
}
