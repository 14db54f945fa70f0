import { assert, assertEquals, assertMatch, assertStrictEquals } from "../testing/assert.ts";
import {
  type Arp,
  arpFrame,
  type IcmpEcho,
  icmpEchoFrame,
  parseArp,
  parseIcmpEcho,
  parseTcp,
  TCP_ACK,
  TCP_SYN,
  tcpFrame,
} from "../testing/harness/frames.ts";
import { Lab } from "../testing/harness/lab.ts";
import type { Netns } from "../testing/harness/netns.ts";
import { rootTest } from "../testing/harness/root.ts";
import { deadline, settlesWithin } from "../testing/harness/wait.ts";
import {
  TUN_F_CSUM,
  TUN_F_TSO4,
  TUN_F_TSO6,
  VIRTIO_NET_HDR_F_NEEDS_CSUM,
  VIRTIO_NET_HDR_GSO_NONE,
  VIRTIO_NET_HDR_GSO_TCPV4,
} from "./constants.ts";
import { interfaceExists, isLinkUp, macAddress, mtu, setLinkUp } from "./iface.ts";
import { formatMac, macFromBytes } from "../net/mac.ts";
import { withNetns } from "./netns.ts";
import { Tap, type TapOptions, VNET_HEADER_SIZE } from "./tap.ts";

// The kernel side of the TAP is 10.77.0.1 (the namespace's stack); the test plays 10.77.0.2 behind it.
const KERNEL_IP = "10.77.0.1";
const PEER_IP = "10.77.0.2";
const PEER_MAC = "02:c7:9f:00:00:02";
const ZERO_MAC = "00:00:00:00:00:00";

async function tapInNamespace(ns: Netns, options: TapOptions = {}): Promise<{ tap: Tap; kernelMac: string }> {
  const tap = withNetns(ns.name, () => {
    const tap = Tap.open({ name: "ctap0", ...options });
    setLinkUp(tap.name, true);
    return tap;
  });
  try {
    await ns.addAddress(tap.name, `${KERNEL_IP}/24`);
    return { tap, kernelMac: withNetns(ns.name, () => formatMac(macFromBytes(macAddress(tap.name)))) };
  } catch (error) {
    tap.close();
    throw error;
  }
}

/** Reads frames until `match` accepts one, for at most `ms`. Frames before it are discarded. */
async function readUntil<T>(tap: Tap, match: (frame: Uint8Array) => T | undefined, ms = 3_000): Promise<T> {
  using timeout = deadline(ms, "expected frame from the TAP");
  const buffer = new Uint8Array(65_550);
  for (;;) {
    const length = await tap.read(buffer, { signal: timeout.signal });
    const found = match(buffer.subarray(tap.vnetHeaderSize, length));
    if (found !== undefined) return found;
  }
}

/** A frame for a TAP with IFF_VNET_HDR: a zero virtio_net_hdr first (nothing to checksum or segment). */
function withZeroVnetHeader(frame: Uint8Array): Uint8Array {
  const framed = new Uint8Array(VNET_HEADER_SIZE + frame.length);
  framed.set(frame, VNET_HEADER_SIZE);
  return framed;
}

interface VnetHeader {
  flags: number;
  gsoType: number;
  headerLength: number;
  gsoSize: number;
  checksumStart: number;
  checksumOffset: number;
}

function readVnetHeader(bytes: Uint8Array): VnetHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, VNET_HEADER_SIZE);
  return {
    flags: bytes[0],
    gsoType: bytes[1],
    headerLength: view.getUint16(2, true),
    gsoSize: view.getUint16(4, true),
    checksumStart: view.getUint16(6, true),
    checksumOffset: view.getUint16(8, true),
  };
}

function arpRequestFromPeer(): Uint8Array {
  return arpFrame({
    op: 1,
    senderMac: PEER_MAC,
    senderIp: PEER_IP,
    targetMac: ZERO_MAC,
    targetIp: KERNEL_IP,
  });
}

function isArpReplyFrom(ip: string): (frame: Uint8Array) => Arp | undefined {
  return (frame) => {
    const arp = parseArp(frame);
    return arp?.op === 2 && arp.senderIp === ip ? arp : undefined;
  };
}

rootTest("tap: the kernel answers an ARP request and an ICMP echo written to the TAP", async () => {
  await using lab = new Lab();
  const ns = await lab.netns({ ipv6: false });
  const { tap, kernelMac } = await tapInNamespace(ns);
  using _tap = tap;
  assertStrictEquals(kernelMac, await ns.mac(tap.name));

  tap.write(arpRequestFromPeer());
  const reply = await readUntil(tap, isArpReplyFrom(KERNEL_IP));
  assertEquals(reply, {
    op: 2,
    senderMac: kernelMac,
    senderIp: KERNEL_IP,
    targetMac: PEER_MAC,
    targetIp: PEER_IP,
  });

  const payload = new TextEncoder().encode("ctpf tap echo");
  tap.write(icmpEchoFrame({
    type: 8,
    srcMac: PEER_MAC,
    dstMac: kernelMac,
    srcIp: PEER_IP,
    dstIp: KERNEL_IP,
    id: 0x4242,
    seq: 1,
    payload,
  }));
  const echo = await readUntil(tap, (frame) => {
    const echo = parseIcmpEcho(frame);
    return echo?.type === 0 ? echo : undefined;
  });
  assertEquals(echo, {
    type: 0,
    srcMac: kernelMac,
    dstMac: PEER_MAC,
    srcIp: KERNEL_IP,
    dstIp: PEER_IP,
    id: 0x4242,
    seq: 1,
    payload,
  });
});

rootTest({
  name: "tap: a ping from inside the namespace is read from the TAP and answered through it",
  tools: ["ping"],
  fn: async () => {
    await using lab = new Lab();
    const ns = await lab.netns({ ipv6: false });
    const { tap, kernelMac } = await tapInNamespace(ns);
    using _tap = tap;
    const ping = ns.spawn(["ping", "-c", "1", "-W", "5", PEER_IP]);

    // The kernel first resolves the peer: answer its ARP request as the peer would.
    const request = await readUntil(tap, (frame) => {
      const arp = parseArp(frame);
      return arp?.op === 1 && arp.targetIp === PEER_IP ? arp : undefined;
    });
    assertStrictEquals(request.senderMac, kernelMac);
    assertStrictEquals(request.senderIp, KERNEL_IP);
    tap.write(
      arpFrame({ op: 2, senderMac: PEER_MAC, senderIp: PEER_IP, targetMac: kernelMac, targetIp: KERNEL_IP }),
    );

    const echo: IcmpEcho = await readUntil(tap, (frame) => {
      const echo = parseIcmpEcho(frame);
      return echo?.type === 8 ? echo : undefined;
    });
    assertStrictEquals(echo.dstMac, PEER_MAC);
    assertStrictEquals(echo.dstIp, PEER_IP);
    tap.write(icmpEchoFrame({
      ...echo,
      type: 0,
      srcMac: PEER_MAC,
      dstMac: kernelMac,
      srcIp: PEER_IP,
      dstIp: KERNEL_IP,
    }));

    assert(await settlesWithin(ping.status, 5_000), `ping did not finish:\n${ping.output()}`);
    const status = await ping.status;
    assert(status.success, `ping failed:\n${ping.output()}`);
    assertMatch(ping.output(), /1 received/);
  },
});

rootTest("tap: with IFF_VNET_HDR and offloads every frame carries a virtio_net_hdr", async () => {
  await using lab = new Lab();
  const ns = await lab.netns({ ipv6: false });
  const { tap, kernelMac } = await tapInNamespace(ns, { vnetHeader: true });
  using _tap = tap;
  assertStrictEquals(tap.vnetHeaderSize, 10);
  tap.setOffload(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);

  tap.write(withZeroVnetHeader(arpRequestFromPeer()));

  using timeout = deadline(3_000, "ARP reply with virtio_net_hdr");
  const buffer = new Uint8Array(65_550);
  for (;;) {
    const length = await tap.read(buffer, { signal: timeout.signal });
    const reply = isArpReplyFrom(KERNEL_IP)(buffer.subarray(VNET_HEADER_SIZE, length));
    if (reply === undefined) continue;
    assertStrictEquals(reply.senderMac, kernelMac);
    // flags and gso_type of an ARP frame: nothing to checksum, nothing to segment.
    const header = readVnetHeader(buffer);
    assertStrictEquals(header.flags, 0);
    assertStrictEquals(header.gsoType, VIRTIO_NET_HDR_GSO_NONE);
    break;
  }
});

const TCP_PORT = 5001;
const PEER_MSS = 1460;
const PEER_ISN = 0x1000_0000;

rootTest({
  name: "tap: with TUN_F_TSO4 a kernel TCP sender hands over frames longer than the MTU, gso_type TCPV4",
  tools: ["socat"],
  fn: async () => {
    await using lab = new Lab();
    const ns = await lab.netns({ ipv6: false });
    const { tap, kernelMac } = await tapInNamespace(ns, { vnetHeader: true });
    using _tap = tap;
    tap.setOffload(TUN_F_CSUM | TUN_F_TSO4);
    const linkMtu = withNetns(ns.name, () => mtu(tap.name));
    // The namespace's TCP stack connects to the peer the test plays and sends zeros as fast as allowed.
    const sender = ns.spawn(["socat", "-u", "OPEN:/dev/zero", `TCP:${PEER_IP}:${TCP_PORT}`]);
    const peer = { srcMac: PEER_MAC, dstMac: kernelMac, srcIp: PEER_IP, dstIp: KERNEL_IP, srcPort: TCP_PORT };

    const arp = await readUntil(tap, (frame) => {
      const arp = parseArp(frame);
      return arp?.op === 1 && arp.targetIp === PEER_IP ? arp : undefined;
    });
    assertStrictEquals(arp.senderMac, kernelMac);
    tap.write(withZeroVnetHeader(
      arpFrame({ op: 2, senderMac: PEER_MAC, senderIp: PEER_IP, targetMac: kernelMac, targetIp: KERNEL_IP }),
    ));

    const syn = await readUntil(tap, (frame) => {
      const tcp = parseTcp(frame);
      return tcp?.dstPort === TCP_PORT && tcp.flags === TCP_SYN ? tcp : undefined;
    });
    // No timestamps or window scaling offered back: data segments carry a bare 20-byte TCP header, so
    // each one is exactly PEER_MSS long, and 64 KiB of window lets the initial burst go out at once.
    tap.write(withZeroVnetHeader(tcpFrame({
      ...peer,
      dstPort: syn.srcPort,
      seq: PEER_ISN,
      ack: syn.seq + 1,
      flags: TCP_SYN | TCP_ACK,
      window: 0xffff,
      options: Uint8Array.of(2, 4, PEER_MSS >> 8, PEER_MSS & 0xff),
    })));

    // The initial burst already goes out as one super-frame; a few hundred frames that fit the link mean
    // the kernel segments in software, which is the failure this test is for.
    using timeout = deadline(5_000, `a TCP frame longer than the ${linkMtu}-byte MTU`);
    const buffer = new Uint8Array(VNET_HEADER_SIZE + 65_550);
    let fitting = 0;
    let acked = (syn.seq + 1) >>> 0;
    for (;;) {
      const length = await tap.read(buffer, { signal: timeout.signal }).catch((error) => {
        throw new Error(`${error.message}; ${fitting} data frames, each within the MTU`, { cause: error });
      });
      const header = readVnetHeader(buffer);
      const frame = buffer.subarray(VNET_HEADER_SIZE, length);
      const tcp = parseTcp(frame);
      if (tcp?.srcPort !== syn.srcPort || tcp.dstPort !== TCP_PORT || tcp.payload.length === 0) continue;
      if (frame.length <= linkMtu + 14) {
        // One segment that fits the link asks for no segmentation; ACK it so the window keeps opening.
        assertStrictEquals(header.gsoType, VIRTIO_NET_HDR_GSO_NONE);
        assert(++fitting < 256, `${fitting} data frames, each within the ${linkMtu}-byte MTU`);
        const end = (tcp.seq + tcp.payload.length) >>> 0;
        if (((end - acked) | 0) > 0) acked = end; // a retransmission does not move the ACK back
        tap.write(withZeroVnetHeader(tcpFrame({
          ...peer,
          dstPort: syn.srcPort,
          seq: PEER_ISN + 1,
          ack: acked,
          flags: TCP_ACK,
          window: 0xffff,
        })));
        continue;
      }
      // A super-frame: several segments' worth of payload behind one header, for the reader to cut.
      assertStrictEquals(header.gsoType, VIRTIO_NET_HDR_GSO_TCPV4);
      assertStrictEquals(header.gsoSize, PEER_MSS);
      assert(tcp.payload.length > PEER_MSS, `${tcp.payload.length}-byte payload`);
      assertStrictEquals(tcp.ipTotalLength, frame.length - 14);
      // TUN_F_CSUM: the TCP checksum is left for the reader, starting at the TCP header (14 + 20).
      assertStrictEquals(header.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_F_NEEDS_CSUM);
      assertStrictEquals(header.checksumStart, 34);
      assertStrictEquals(header.checksumOffset, 16);
      assert(
        header.headerLength >= 54 && header.headerLength <= frame.length,
        `hdr_len ${header.headerLength}`,
      );
      assert(tcp.payload.every((byte) => byte === 0), "the payload is not socat's zeros");
      break;
    }
    assertStrictEquals(sender.exited, false, `socat exited:\n${sender.output()}`);
  },
});

rootTest("tap: the interface lives exactly as long as the fd", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  const tap = withNetns(ns.name, () => Tap.open({ name: "ctpf%d" }));
  try {
    assertMatch(tap.name, /^ctpf\d+$/);
    withNetns(ns.name, () => {
      assert(interfaceExists(tap.name));
      assertStrictEquals(isLinkUp(tap.name), false);
    });
    const buffer = new Uint8Array(2048);
    assertStrictEquals(tap.tryRead(buffer), null); // O_NONBLOCK: nothing queued, no wait
  } finally {
    tap.close();
  }
  assertStrictEquals(withNetns(ns.name, () => interfaceExists(tap.name)), false);
  assertStrictEquals(interfaceExists(tap.name), false); // and it never existed in the root namespace
});
