import { toHexString } from "../net/bytes.ts";
import { assert, assertEquals, assertStrictEquals } from "../testing/assert.ts";
import { Lab } from "../testing/harness/lab.ts";
import { rootTest } from "../testing/harness/root.ts";
import { deadline } from "../testing/harness/wait.ts";
import { LogSink } from "../log/logger.ts";
import { decodeDhcp, type DhcpMessage, encodeDhcp } from "../net/dhcp/mod.ts";
import { parseIpv4 } from "../net/ipv4addr.ts";
import { setLinkUp } from "../sys/iface.ts";
import { withNetns } from "../sys/netns.ts";
import { UdpSocket } from "../sys/udp.ts";
import { Registry } from "../metrics/registry.ts";
import { MetricsText } from "../testing/metrics.ts";
import { BofiedMetrics } from "./metrics.ts";
import { ProxyDhcp } from "./proxy_dhcp.ts";

const encoder = new TextEncoder();
const hex = (bytes: Uint8Array | undefined) => bytes ? toHexString(bytes) : "-";

/** A request as EDK2's UefiPxeBcDxe sends it: its class, x64 UEFI, and `extra` options. */
function edk2Request(type: number, ciaddr: string, extra: [number, Uint8Array][] = []): Uint8Array {
  const message: DhcpMessage = {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x4011,
    secs: 0,
    flags: 0,
    ciaddr: ciaddr ? parseIpv4(ciaddr) : 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56),
    sname: "",
    file: "",
    options: new Map([
      [53, Uint8Array.of(type)],
      [60, encoder.encode("PXEClient:Arch:00007:UNDI:003000")],
      [93, Uint8Array.of(0, 7)],
      ...extra,
    ]),
  };
  return encodeDhcp(message);
}

rootTest(
  "proxyDHCP: port 67 offers BINL, port 4011 answers 'boot this file' and echoes the boot item",
  async () => {
    await using lab = new Lab();
    const server = await lab.netns({ ipv6: false }), client = await lab.netns({ ipv6: false });
    await lab.veth(server, "pa0", client, "pb0");
    withNetns(server.name, () => setLinkUp("pa0", true));
    withNetns(client.name, () => setLinkUp("pb0", true));
    await server.addAddress("pa0", "10.78.0.1/24");
    await client.addAddress("pb0", "10.78.0.50/24");
    const registry = new Registry();
    const proxy = new ProxyDhcp({
      metrics: new BofiedMetrics(registry),
      interfaceName: "pa0",
      bootAnswers: () => ({ bootFile: "ipxe.efi" }),
      log: new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("test"),
    });
    withNetns(server.name, () => proxy.start());
    try {
      using dhcp = withNetns(client.name, () => UdpSocket.open({ device: "pb0", port: 68, broadcast: true }));
      using binl = withNetns(client.name, () => UdpSocket.open({ address: "10.78.0.50", port: 4011 }));
      using timeout = deadline(5_000, "proxyDHCP answers");

      dhcp.sendTo(edk2Request(1, ""), "255.255.255.255", 67);
      const offer = decodeDhcp((await dhcp.receive({ signal: timeout.signal })).data);
      assert(offer.ok);
      // EDK2 keeps a proxy offer only if it is BINL (no option 43): then it asks port 4011.
      assertStrictEquals(new TextDecoder().decode(offer.value.options.get(60)), "PXEClient");
      assertStrictEquals(hex(offer.value.options.get(43)), "-");
      assertStrictEquals(offer.value.yiaddr, 0);

      // EDK2's 4011 request comes from the address it got and port 4011, and is answered there; a
      // discovery request names a boot item (71: type 0, layer 0), which the answer names back.
      binl.sendTo(
        edk2Request(3, "10.78.0.50", [[43, Uint8Array.of(71, 4, 0, 0, 0, 0, 255)]]),
        "10.78.0.1",
        4011,
      );
      const answer = await binl.receive({ signal: timeout.signal });
      assertEquals({ address: answer.address, port: answer.port }, { address: "10.78.0.1", port: 4011 });
      const ack = decodeDhcp(answer.data);
      assert(ack.ok);
      assertStrictEquals(ack.value.options.get(53)?.[0], 5);
      assertStrictEquals(new TextDecoder().decode(ack.value.options.get(67)), "ipxe.efi");
      assertStrictEquals(hex(ack.value.options.get(43)), "060108" + "470400000000" + "ff");
      assertStrictEquals(ack.value.ciaddr, parseIpv4("10.78.0.50"));
      const replies = new MetricsText(registry.render());
      assertEquals(
        ["offer", "ack"].map((type) => replies.value("ctpf_bofied_proxy_dhcp_replies_total", { type })),
        [1, 1],
      );
    } finally {
      await proxy.stop();
    }
  },
);
