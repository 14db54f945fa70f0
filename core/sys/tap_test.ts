import assert from "node:assert/strict";
import {
  type Arp,
  arpFrame,
  type IcmpEcho,
  icmpEchoFrame,
  parseArp,
  parseIcmpEcho,
} from "../../tests/harness/frames.ts";
import { Lab } from "../../tests/harness/lab.ts";
import type { Netns } from "../../tests/harness/netns.ts";
import { rootTest } from "../../tests/harness/root.ts";
import { deadline, settlesWithin } from "../../tests/harness/wait.ts";
import { TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6 } from "./constants.ts";
import { formatMac, interfaceExists, isLinkUp, macAddress, setLinkUp } from "./iface.ts";
import { withNetns } from "./netns.ts";
import { Tap, type TapOptions } from "./tap.ts";

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
    return { tap, kernelMac: withNetns(ns.name, () => formatMac(macAddress(tap.name))) };
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
  assert.equal(kernelMac, await ns.mac(tap.name));

  tap.write(arpRequestFromPeer());
  const reply = await readUntil(tap, isArpReplyFrom(KERNEL_IP));
  assert.deepEqual(reply, {
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
  assert.deepEqual(echo, {
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
    assert.equal(request.senderMac, kernelMac);
    assert.equal(request.senderIp, KERNEL_IP);
    tap.write(
      arpFrame({ op: 2, senderMac: PEER_MAC, senderIp: PEER_IP, targetMac: kernelMac, targetIp: KERNEL_IP }),
    );

    const echo: IcmpEcho = await readUntil(tap, (frame) => {
      const echo = parseIcmpEcho(frame);
      return echo?.type === 8 ? echo : undefined;
    });
    assert.equal(echo.dstMac, PEER_MAC);
    assert.equal(echo.dstIp, PEER_IP);
    tap.write(icmpEchoFrame({
      ...echo,
      type: 0,
      srcMac: PEER_MAC,
      dstMac: kernelMac,
      srcIp: PEER_IP,
      dstIp: KERNEL_IP,
    }));

    assert.ok(await settlesWithin(ping.status, 5_000), `ping did not finish:\n${ping.output()}`);
    const status = await ping.status;
    assert.ok(status.success, `ping failed:\n${ping.output()}`);
    assert.match(ping.output(), /1 received/);
  },
});

rootTest("tap: with IFF_VNET_HDR and offloads every frame carries a virtio_net_hdr", async () => {
  await using lab = new Lab();
  const ns = await lab.netns({ ipv6: false });
  const { tap, kernelMac } = await tapInNamespace(ns, { vnetHeader: true });
  using _tap = tap;
  assert.equal(tap.vnetHeaderSize, 10);
  tap.setOffload(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);

  const request = arpRequestFromPeer();
  const framed = new Uint8Array(10 + request.length); // zero header: no checksum or GSO work asked for
  framed.set(request, 10);
  tap.write(framed);

  using timeout = deadline(3_000, "ARP reply with virtio_net_hdr");
  const buffer = new Uint8Array(65_550);
  for (;;) {
    const length = await tap.read(buffer, { signal: timeout.signal });
    const reply = isArpReplyFrom(KERNEL_IP)(buffer.subarray(10, length));
    if (reply === undefined) continue;
    assert.equal(reply.senderMac, kernelMac);
    // flags and gso_type of an ARP frame: nothing to checksum, nothing to segment.
    assert.equal(buffer[0], 0);
    assert.equal(buffer[1], 0);
    break;
  }
});

rootTest("tap: the interface lives exactly as long as the fd", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  const tap = withNetns(ns.name, () => Tap.open({ name: "ctpf%d" }));
  try {
    assert.match(tap.name, /^ctpf\d+$/);
    withNetns(ns.name, () => {
      assert.ok(interfaceExists(tap.name));
      assert.equal(isLinkUp(tap.name), false);
    });
    const buffer = new Uint8Array(2048);
    assert.equal(tap.tryRead(buffer), null); // O_NONBLOCK: nothing queued, no wait
  } finally {
    tap.close();
  }
  assert.equal(withNetns(ns.name, () => interfaceExists(tap.name)), false);
  assert.equal(interfaceExists(tap.name), false); // and it never existed in the root namespace
});
