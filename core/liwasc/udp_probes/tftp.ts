import type { UdpProbe } from "./probe.ts";
import { decodeTftp, encodeTftp, TFTP_DATA, TFTP_ERROR, TFTP_RRQ } from "../../net/tftp/mod.ts";
import { randomHex } from "./random.ts";
import { printable } from "./text.ts";

// TFTP on port 69 (RFC 1350): a read request, octet mode, no options, for a random file name that no
// server has. A server answers with an ERROR (file not found, access violation) or, should the name
// exist, the first DATA block. Both prove TFTP.
//
// The answer does not come from port 69: the server picks a new port, its transfer ID (RFC 1350 §4), so
// the scan must accept replies from any port of the target (answersFromNewPort) that are TFTP's answer to
// this request. nmap matches replies by the probed port and misses it (tests/liwasc/tftp_transfer_id.ts).
// After a DATA block the server waits for an ACK and retransmits; the scan may end the transfer with an
// ERROR to that port, or let it time out.

export const TFTP_PORT = 69;

export interface TftpProbeOptions {
  /** The file asked for; random by default. */
  readonly filename?: string;
}

export function tftpProbe({ filename = `liwasc-${randomHex(8)}` }: TftpProbeOptions = {}): UdpProbe {
  const request = encodeTftp({ op: TFTP_RRQ, filename, mode: "octet", options: new Map() });
  return {
    name: "tftp-rrq",
    answersFromNewPort: true,
    payload: () => request.slice(),
    recognise(reply) {
      const packet = decodeTftp(reply);
      if (!packet.ok) return undefined;
      const value = packet.value;
      if (value.op === TFTP_ERROR) {
        return { service: "tftp", detail: printable(`error ${value.code}: ${value.message}`) };
      }
      // A read starts at block 1; other blocks belong to some other transfer.
      if (value.op === TFTP_DATA && value.block === 1) {
        return { service: "tftp", detail: `the file exists: DATA block 1 of ${value.data.length} bytes` };
      }
      return undefined;
    },
  };
}
