// Prints the DHCP payloads in pcap files written by capture.sh, one hex line per UDP datagram, for pasting
// into captures.ts. Usage: deno run --allow-read core/net/dhcp/testdata/extract.ts *.pcap
import { toHexString } from "../../bytes.ts";
import { decodeEthernet, ETHERTYPE_IPV4 } from "../../ethernet.ts";
import { decodeIpv4, IP_PROTOCOL_UDP } from "../../ipv4.ts";
import { decodeUdp } from "../../udp.ts";
import { formatIpv4 } from "../../ipv4addr.ts";

function* pcapRecords(file: Uint8Array): Generator<Uint8Array> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, true);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && view.getUint32(0, false) !== 0xa1b2c3d4) throw new Error("not a pcap file");
  if (view.getUint32(20, little) !== 1) throw new Error("link type is not Ethernet");
  let offset = 24;
  while (offset + 16 <= file.length) {
    const captured = view.getUint32(offset + 8, little);
    yield file.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
  }
}

for (const path of Deno.args) {
  console.log(`# ${path}`);
  for (const frame of pcapRecords(Deno.readFileSync(path))) {
    const ethernet = decodeEthernet(frame);
    if (!ethernet.ok || ethernet.value.etherType !== ETHERTYPE_IPV4) continue;
    const ip = decodeIpv4(ethernet.value.payload);
    if (!ip.ok || ip.value.protocol !== IP_PROTOCOL_UDP) continue;
    const udp = decodeUdp(ip.value.payload, ip.value);
    if (!udp.ok) continue;
    const { sourcePort, destinationPort, payload } = udp.value;
    const at = payload.indexOf(53, 240);
    const type = payload[at + 2];
    console.log(
      `${formatIpv4(ip.value.source)}:${sourcePort} > ${
        formatIpv4(ip.value.destination)
      }:${destinationPort}` +
        ` ${payload.length} bytes, option-53-ish ${type}`,
    );
    console.log(toHexString(payload));
  }
}
