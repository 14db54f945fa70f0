// A windowed transfer whose segmented sends the route refuses: in a test namespace whose loopback has
// an Ethernet MTU, 8 KiB blocks cannot leave as GSO segments (EMSGSIZE), and the transfer must go on
// block by block (as IP fragments), as it did before segmentation.
import { createHash } from "node:crypto";
import { Lab } from "../../testing/harness/lab.ts";
import { rootTest } from "../../testing/harness/root.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { decodeTftp, encodeTftp, TFTP_DATA, wireBlock } from "../../net/tftp/mod.ts";
import { UdpSocket, withNetns } from "../../sys/mod.ts";
import { sendFile } from "./read_transfer.ts";

rootTest(
  "tftp transfer: windows of blocks too big for the MTU to segment still arrive, block by block",
  async () => {
    await using lab = new Lab();
    const ns = await lab.netns();
    await ns.run(["ip", "link", "set", "lo", "mtu", "1500", "up"]);
    const [server, client] = withNetns(ns.name, () => [
      UdpSocket.open({ address: "127.0.0.1" }),
      UdpSocket.open({ address: "127.0.0.1", receiveBufferBytes: 1 << 20 }),
    ]);
    try {
      const blockSize = 8192, windowSize = 8;
      const content = new Uint8Array(blockSize * 40 + 5);
      crypto.getRandomValues(content.subarray(0, 65536));
      content.copyWithin(65536, 0);
      const stop = new AbortController();
      const transfer = sendFile({
        socket: server,
        peer: { address: "127.0.0.1", port: client.localAddress().port },
        content,
        negotiation: { oack: new Map(), blockSize, windowSize, timeout: 1, transferSize: undefined },
        timeoutSeconds: 1,
        retries: 3,
        signal: stop.signal,
        spinMs: 0,
      });
      const hash = createHash("sha256");
      const serverPort = server.localAddress().port;
      let expected = 1;
      for (const deadline = AbortSignal.timeout(10_000); !deadline.aborted;) {
        const datagram = await client.receive({ signal: deadline });
        const packet = decodeTftp(datagram.data);
        if (!packet.ok || packet.value.op !== TFTP_DATA) continue;
        if (packet.value.block !== wireBlock(expected)) continue;
        hash.update(packet.value.data);
        const last = packet.value.data.length < blockSize;
        if (expected % windowSize === 0 || last) {
          client.sendTo(encodeTftp({ op: 4, block: packet.value.block }), "127.0.0.1", serverPort);
        }
        expected++;
        if (last) break;
      }
      const result = await transfer;
      assert(result.ok, result.reason);
      assertEquals(hash.digest("hex"), createHash("sha256").update(content).digest("hex"));
      assertEquals(result.retransmits, 0);
    } finally {
      server.close();
      client.close();
    }
  },
);
