import { assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { formatMac, macFromBytes } from "../net/mac.ts";
import { arpFrame, parseArp } from "../testing/harness/frames.ts";
import { Lab } from "../testing/harness/lab.ts";
import { rootTest } from "../testing/harness/root.ts";
import { deadline, sleep } from "../testing/harness/wait.ts";
import { ETH_P_ALL, ETH_P_ARP, PACKET_HOST, PACKET_OUTGOING } from "./constants.ts";
import { SysError } from "./errno.ts";
import { macAddress, setLinkUp } from "./iface.ts";
import { withNetns } from "./netns.ts";
import { PacketSocket } from "./packet.ts";

// Namespace A holds veth end "pa0" with no address; B holds "pb0" with 10.78.0.2 and .3, and its
// kernel answers ARP. Our AF_PACKET socket on pa0 plays an ARP scanner.

async function scannerLab(lab: Lab) {
  const a = await lab.netns({ ipv6: false });
  const b = await lab.netns({ ipv6: false });
  await lab.veth(a, "pa0", b, "pb0");
  await b.addAddress("pb0", "10.78.0.2/24");
  await b.addAddress("pb0", "10.78.0.3/24");
  await b.up("pb0");
  const scannerMac = withNetns(a.name, () => {
    setLinkUp("pa0", true);
    return formatMac(macFromBytes(macAddress("pa0")));
  });
  return { a, b, scannerMac, peerMac: await b.mac("pb0") };
}

function whoHas(scannerMac: string, targetIp: string): Uint8Array {
  return arpFrame({
    op: 1,
    senderMac: scannerMac,
    senderIp: "10.78.0.1",
    targetMac: "00:00:00:00:00:00",
    targetIp,
  });
}

rootTest("packet: an ARP request sent on a veth is answered by the peer namespace's kernel", async () => {
  await using lab = new Lab();
  const { a, scannerMac, peerMac } = await scannerLab(lab);
  using socket = withNetns(a.name, () => PacketSocket.open({ device: "pa0", ethertype: ETH_P_ARP }));
  assertStrictEquals(socket.device, "pa0");

  const request = whoHas(scannerMac, "10.78.0.2");
  assertStrictEquals(socket.send(request), request.length);

  using timeout = deadline(3_000, "ARP reply");
  const frame = await socket.receive({ signal: timeout.signal });
  // The first frame is the reply, not the echo of our own request (outgoing frames are filtered).
  assertStrictEquals(frame.packetType, PACKET_HOST);
  assertStrictEquals(frame.ifindex, socket.ifindex);
  assertEquals(parseArp(frame.data), {
    op: 2,
    senderMac: peerMac,
    senderIp: "10.78.0.2",
    targetMac: scannerMac,
    targetIp: "10.78.0.1",
  });
});

rootTest("packet: a burst of ARP requests finds exactly the addresses the peer holds", async () => {
  await using lab = new Lab();
  const { a, scannerMac, peerMac } = await scannerLab(lab);
  using socket = withNetns(a.name, () => PacketSocket.open({ device: "pa0", ethertype: ETH_P_ARP }));

  for (let host = 2; host <= 254; host++) socket.send(whoHas(scannerMac, `10.78.0.${host}`));

  const found = new Map<string, string>();
  using timeout = deadline(3_000, "ARP replies for .2 and .3");
  while (found.size < 2) {
    const arp = parseArp((await socket.receive({ signal: timeout.signal })).data);
    if (arp?.op === 2) found.set(arp.senderIp, arp.senderMac);
  }
  await sleep(100); // late replies for addresses B does not hold would show up here
  for (let frame = socket.tryReceive(); frame !== null; frame = socket.tryReceive()) {
    const arp = parseArp(frame.data);
    if (arp?.op === 2) found.set(arp.senderIp, arp.senderMac);
  }
  assertEquals(Object.fromEntries(found), { "10.78.0.2": peerMac, "10.78.0.3": peerMac });
});

rootTest("packet: an ETH_P_ALL socket with includeOutgoing also sees what the host sends", async () => {
  await using lab = new Lab();
  const { a, scannerMac } = await scannerLab(lab);
  // Outgoing copies only reach ETH_P_ALL sockets (the kernel's "taps"), as tcpdump uses them.
  const [watcher, replyOnly, sender] = withNetns(a.name, () => [
    PacketSocket.open({ device: "pa0", ethertype: ETH_P_ALL, includeOutgoing: true }),
    PacketSocket.open({ device: "pa0", ethertype: ETH_P_ALL }),
    PacketSocket.open({ device: "pa0", ethertype: ETH_P_ARP }),
  ]);
  using _watcher = watcher;
  using _replyOnly = replyOnly;
  using _sender = sender;
  const request = whoHas(scannerMac, "10.78.0.2");
  sender.send(request);

  using timeout = deadline(3_000, "outgoing request, then reply");
  const nextArp = async (socket: PacketSocket) => {
    for (;;) {
      const frame = await socket.receive({ signal: timeout.signal });
      const arp = parseArp(frame.data);
      if (arp !== undefined) return { frame, arp };
    }
  };
  const outgoing = await nextArp(watcher);
  assertStrictEquals(outgoing.frame.packetType, PACKET_OUTGOING);
  assertEquals(outgoing.frame.data, request);
  assertStrictEquals((await nextArp(watcher)).arp.op, 2);
  const seen = await nextArp(replyOnly);
  assertStrictEquals(seen.frame.packetType, PACKET_HOST);
  assertStrictEquals(seen.arp.op, 2);
  // A socket's own sends never come back to it.
  assertStrictEquals((await nextArp(sender)).arp.op, 2);
});

rootTest("packet: opening on a missing interface names it and ENODEV", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  assertThrows(
    () => withNetns(ns.name, () => PacketSocket.open({ device: "nope0", ethertype: ETH_P_ARP })),
    (error: unknown) => error instanceof SysError && error.code === "ENODEV" && /nope0/.test(error.message),
  );
  assertThrows(() => PacketSocket.open({ device: "lo", ethertype: 0x10000 }), RangeError);
});
