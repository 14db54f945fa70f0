// Where nmap's UDP verdict for TFTP (69) is wrong, shown from a capture rather than assumed.
//
// nmap matches a UDP reply to its probe by ports: the reply must come from the probed port to the probe's
// source port (scan_engine_raw.cc), else it is dropped. A TFTP server answers a request to 69 from a new
// port, its transfer ID (RFC 1350 §4). So nmap's read request to 69 is answered (dnsmasq: ERROR 1, file not
// found; and ERROR 4 to the DNS status request nmap-payloads also sends to 69), nmap drops the answer and,
// with no reply it can match, says open|filtered (the scanner's kernel, with no socket on nmap's raw source
// port, even sends the server ICMP port unreachable for it). By nmap's own rule a reply came back: 69 is
// open, as liwasc says. The capture decides it, per scan: only when it holds such an answer is nmap's
// verdict overruled, and only from open|filtered to open.
import type { Netns } from "../harness/mod.ts";
import { waitFor } from "../harness/mod.ts";

export const TFTP_PORT = 69;
const TFTP_DATA = 3, TFTP_ERROR = 5;

export interface UdpDatagram {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  payload: Uint8Array;
}

/**
 * Runs `body` with tcpdump on `iface` in `netns` recording UDP to and from `host`; returns its result
 * and the datagrams, decoded by tshark (ICMP errors quoting UDP are left out).
 */
export async function captureUdp<T>(
  netns: Netns,
  iface: string,
  host: string,
  body: () => Promise<T>,
): Promise<{ result: T; datagrams: UdpDatagram[] }> {
  const pcap = await Deno.makeTempFile({ prefix: "ctpf-nmap-", suffix: ".pcap" });
  try {
    // --immediate-mode and -U: every packet is in the file when tcpdump is stopped.
    const tcpdump = netns.spawn(
      ["tcpdump", "--immediate-mode", "-U", "-n", "-i", iface, "-w", pcap, `udp and host ${host}`],
    );
    await waitFor(() => /listening on/.test(tcpdump.output()), {
      what: "tcpdump",
      describe: () => tcpdump.output(),
    });
    let result: T;
    try {
      result = await body();
    } finally {
      await tcpdump.stop();
    }
    return { result, datagrams: await readUdp(pcap) };
  } finally {
    await Deno.remove(pcap);
  }
}

async function readUdp(pcap: string): Promise<UdpDatagram[]> {
  const fields = ["ip.src", "udp.srcport", "ip.dst", "udp.dstport", "udp.payload"];
  const output = await new Deno.Command("tshark", {
    args: ["-r", pcap, "-Y", "udp && !icmp", "-T", "fields", ...fields.flatMap((f) => ["-e", f])],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(`tshark failed: ${new TextDecoder().decode(output.stderr)}`);
  return parseDatagrams(new TextDecoder().decode(output.stdout));
}

/** tshark's fields, one datagram a line: source, source port, destination, its port, payload in hex. */
export function parseDatagrams(text: string): UdpDatagram[] {
  return text.split("\n").filter(Boolean).map((line) => {
    const [src, srcPort, dst, dstPort, payload = ""] = line.split("\t");
    const bytes = Uint8Array.from(payload.match(/../g) ?? [], (byte) => parseInt(byte, 16));
    return { src, srcPort: Number(srcPort), dst, dstPort: Number(dstPort), payload: bytes };
  });
}

/** A TFTP server's answer to a read request: an ERROR, or the file's first DATA block. */
function isTftpAnswer(payload: Uint8Array): boolean {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.length < 4) return false;
  const op = view.getUint16(0);
  return op === TFTP_ERROR || (op === TFTP_DATA && view.getUint16(2) === 1);
}

/**
 * The answers `server` sent to the requests scanned to its port 69 from a new port (not 69, nor any of the
 * `scanned` ports): TFTP answers to the source port of a request to 69. These are what nmap drops.
 */
export function tftpAnswersFromNewPort(
  datagrams: UdpDatagram[],
  server: string,
  scanned: number[],
): UdpDatagram[] {
  const requestPorts = new Set(
    datagrams.filter((d) => d.dst === server && d.dstPort === TFTP_PORT).map((d) => d.srcPort),
  );
  return datagrams.filter((d) =>
    d.src === server && !scanned.includes(d.srcPort) && requestPorts.has(d.dstPort) && isTftpAnswer(d.payload)
  );
}

/**
 * nmap's verdicts with 69 overruled to open where nmap said open|filtered and `answers` (from
 * tftpAnswersFromNewPort) shows the reply it dropped. Every other port, and any other verdict, stays nmap's.
 */
export function overruleDroppedTftpAnswers(
  verdicts: Map<number, string>,
  answers: UdpDatagram[],
): Map<number, string> {
  const corrected = new Map(verdicts);
  if (verdicts.get(TFTP_PORT) === "open|filtered" && answers.length > 0) corrected.set(TFTP_PORT, "open");
  return corrected;
}
