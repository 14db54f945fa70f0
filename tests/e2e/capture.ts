// What a network-boot test saw on the wire: tcpdump writes a pcap inside the test's namespace, and this
// file reads it back through core/net's codecs, so a test can assert on the DHCP exchange itself (which
// offers the firmware got, whether it retried port 4011, whether it fell back to UEFI HTTP boot) and time
// it from the packets rather than from log lines.
export { startCapture } from "../support/tcpdump.ts";
import { decodeEthernet, decodeIpv4, decodeUdp, dhcp, formatIpv4 } from "../../core/net/mod.ts";

const ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd;
const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4, LINKTYPE_ETHERNET = 1;

export interface Packet {
  /** Seconds since the epoch, from the capture. */
  time: number;
  ipv6: boolean;
  source?: string;
  destination?: string;
  sourcePort?: number;
  destinationPort?: number;
  payload?: Uint8Array;
  dhcp?: dhcp.DhcpMessage;
}

/** The UDP packets of a pcap file (Ethernet, microsecond timestamps, as tcpdump writes them here). */
export function readCapture(bytes: Uint8Array): Packet[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new Error(`pcap of ${bytes.length} bytes has no header`);
  const little = view.getUint32(0, true) === PCAP_MAGIC_MICROSECONDS;
  if (!little && view.getUint32(0, false) !== PCAP_MAGIC_MICROSECONDS) throw new Error("not a pcap file");
  if (view.getUint32(20, little) !== LINKTYPE_ETHERNET) throw new Error("pcap link type is not Ethernet");
  const packets: Packet[] = [];
  for (let offset = 24; offset + 16 <= bytes.length;) {
    const time = view.getUint32(offset, little) + view.getUint32(offset + 4, little) / 1e6;
    const captured = view.getUint32(offset + 8, little);
    const frame = bytes.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    const ethernet = decodeEthernet(frame);
    if (!ethernet.ok) continue;
    if (ethernet.value.etherType === ETHERTYPE_IPV6) {
      packets.push({ time, ipv6: true });
      continue;
    }
    if (ethernet.value.etherType !== ETHERTYPE_IPV4) continue;
    const ip = decodeIpv4(ethernet.value.payload);
    if (!ip.ok || ip.value.protocol !== 17) continue;
    const udp = decodeUdp(ip.value.payload, ip.value);
    if (!udp.ok) continue;
    const { sourcePort, destinationPort, payload } = udp.value;
    const isDhcp = [67, 68, 4011].includes(sourcePort) || [67, 68, 4011].includes(destinationPort);
    const message = isDhcp ? dhcp.decodeDhcp(payload) : undefined;
    packets.push({
      time,
      ipv6: false,
      source: formatIpv4(ip.value.source),
      destination: formatIpv4(ip.value.destination),
      sourcePort,
      destinationPort,
      payload,
      dhcp: message?.ok ? message.value : undefined,
    });
  }
  return packets;
}

const text = (bytes: Uint8Array | undefined) => bytes ? new TextDecoder().decode(bytes) : "";

/** What the acceptance checks and the timing report read from a boot's capture. */
export interface BootExchange {
  /** Client requests (op 1) on ports 67 and 4011, in order: "DISCOVER :67 PXEClient:Arch:00007:…". */
  requests: string[];
  /** Server replies (op 2): "OFFER :68 60=PXEClient 43=060108ff file=ipxe.efi". */
  replies: string[];
  /** Client requests sent to port 4011. */
  port4011Requests: number;
  /** Client requests asking as a UEFI HTTP-boot client (option 60 "HTTPClient…" or architecture 16). */
  httpClientRequests: number;
  ipv6Packets: number;
  /** Seconds from the first DISCOVER to the first TFTP read request (RRQ) for `bootFile`. */
  discoverToTftp?: number;
}

const MESSAGE_TYPES = ["", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"];

export function bootExchange(packets: Packet[], bootFile: string): BootExchange {
  const exchange: BootExchange = {
    requests: [],
    replies: [],
    port4011Requests: 0,
    httpClientRequests: 0,
    ipv6Packets: 0,
  };
  let firstDiscover: number | undefined;
  for (const packet of packets) {
    if (packet.ipv6) {
      exchange.ipv6Packets++;
      continue;
    }
    const message = packet.dhcp;
    if (message) {
      const type = MESSAGE_TYPES[message.options.get(53)?.[0] ?? 0] ?? "?";
      const vendorClass = text(message.options.get(60));
      if (message.op === 1) {
        exchange.requests.push(`${type} :${packet.destinationPort} ${vendorClass}`);
        if (packet.destinationPort === 4011) exchange.port4011Requests++;
        const arch = message.options.get(93);
        if (vendorClass.startsWith("HTTPClient") || (arch && arch[0] === 0 && arch[1] === 16)) {
          exchange.httpClientRequests++;
        }
        if (type === "DISCOVER") firstDiscover ??= packet.time;
      } else {
        const vendor = message.options.get(43);
        const hex = vendor ? Array.from(vendor, (b) => b.toString(16).padStart(2, "0")).join("") : "";
        // dnsmasq ends option 67 with a NUL, as some firmware expects; the summary is text for a log.
        const file = (text(message.options.get(67)) || message.file).replace(/\0+$/, "");
        exchange.replies.push(
          `${type} :${packet.destinationPort} 60=${vendorClass || "-"} 43=${hex || "-"} file=${file || "-"}`,
        );
      }
      continue;
    }
    // TFTP RRQ: opcode 1, then the file name.
    const payload = packet.payload;
    if (
      packet.destinationPort === 69 && payload && payload[0] === 0 && payload[1] === 1 &&
      exchange.discoverToTftp === undefined && firstDiscover !== undefined &&
      text(payload.subarray(2, 2 + bootFile.length)) === bootFile
    ) {
      exchange.discoverToTftp = packet.time - firstDiscover;
    }
  }
  return exchange;
}
