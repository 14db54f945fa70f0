// The TFTP server against curl (a real client; tftp-hpa and atftp join when installed) and against a
// scripted client for what curl cannot do: windowsize, lost blocks, duplicate ACKs. Loopback only.
import { createHash } from "node:crypto";
import { assert, assertEquals } from "../../testing/assert.ts";
import { LogSink } from "../../log/logger.ts";
import {
  decodeTftp,
  encodeTftp,
  TFTP_DATA,
  TFTP_OACK,
  type TftpPacket,
  wireBlock,
} from "../../net/tftp/mod.ts";
import { UdpSocket } from "../../sys/mod.ts";
import { waitFor } from "../../testing/harness/wait.ts";
import { Registry } from "../../metrics/registry.ts";
import { MetricsText } from "../../testing/metrics.ts";
import { Jail } from "../jail.ts";
import { BofiedMetrics } from "../metrics.ts";
import { TftpServer, type TftpTransferEvent } from "./server.ts";

const log = new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("tftp");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
}

async function withServer(
  files: Record<string, Uint8Array>,
  work: (port: number, events: TftpTransferEvent[], metrics: () => MetricsText) => Promise<void>,
) {
  const base = await Deno.makeTempDir({ prefix: "ctpf-tftp-" });
  await Deno.mkdir(`${base}/root/boot`, { recursive: true });
  await Deno.writeTextFile(`${base}/outside.txt`, "outside\n");
  for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${base}/root/${name}`, bytes);
  const events: TftpTransferEvent[] = [];
  const registry = new Registry();
  const server = new TftpServer({
    metrics: new BofiedMetrics(registry),
    jail: new Jail(`${base}/root`),
    address: "127.0.0.1",
    port: 0,
    log,
    onTransfer: (event) => events.push(event),
  });
  server.start();
  try {
    await work(server.port, events, () => new MetricsText(registry.render()));
  } finally {
    await server.stop();
    await Deno.remove(base, { recursive: true });
  }
}

async function curl(...args: string[]) {
  const output = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", "60", ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: output.code, body: output.stdout, error: new TextDecoder().decode(output.stderr) };
}

Deno.test("tftp: curl fetches files with default, large and no options; checksums match", async () => {
  const kernel = randomBytes(3 * 1024 * 1024 + 5);
  const exact = randomBytes(512 * 8);
  await withServer(
    { "boot/vmlinuz": kernel, "exact.bin": exact, "empty.bin": new Uint8Array() },
    async (port, events, metrics) => {
      for (
        const options of [[], ["--tftp-blksize", "1468"], ["--tftp-blksize", "65464"], ["--tftp-no-options"]]
      ) {
        const result = await curl(...options, `tftp://127.0.0.1:${port}/boot/vmlinuz`);
        assertEquals(result.code, 0, `curl ${options.join(" ")}: ${result.error}`);
        assertEquals(sha256(result.body), sha256(kernel), `curl ${options.join(" ")}`);
      }
      assertEquals(sha256((await curl(`tftp://127.0.0.1:${port}/exact.bin`)).body), sha256(exact));
      assertEquals((await curl(`tftp://127.0.0.1:${port}/empty.bin`)).body.length, 0);
      const sizes = events.filter((e) => e.file === "/boot/vmlinuz").map((e) => e.blockSize);
      assertEquals(sizes, [512, 1468, 65464, 512]);
      assert(events.every((e) => e.ok), JSON.stringify(events.filter((e) => !e.ok)));
      // curl is done once it sent the last ACK; the server counts the transfer when that ACK arrives. For
      // the empty file, curl takes tsize 0 in the OACK as the whole answer and never acknowledges it: that
      // transfer stays under way until the server gives up on the OACK.
      const completed = () => metrics().value("ctpf_bofied_tftp_transfers_total", { result: "completed" });
      await waitFor(() => completed() === 5, { what: "five transfers completed", timeoutMs: 5000 });
      const counted = metrics();
      assertEquals(counted.value("ctpf_bofied_tftp_transfers_started_total"), 6);
      assertEquals(counted.value("ctpf_bofied_tftp_transfers_active"), 1);
      assertEquals(counted.value("ctpf_bofied_tftp_bytes_sent_total"), 4 * kernel.length + exact.length);
    },
  );
});

async function installed(tool: string): Promise<boolean> {
  return (await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output())
    .success;
}

/** Runs a TFTP client that writes into `out`; the file's bytes, or the client's complaint. */
async function fetchWith(command: string, args: string[], out: string) {
  await Deno.remove(out).catch(() => {});
  const result = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
  const bytes = await Deno.readFile(out).catch(() => undefined);
  return { ok: result.success, bytes, text };
}

interface PeerClient {
  name: string;
  command: string;
  /** Argument lists that fetch `name` from the server into `out`, each with the block size it asks for. */
  fetches(port: number, name: string, out: string): { args: string[]; blockSize: number }[];
}

const host = "127.0.0.1";
const PEER_CLIENTS: PeerClient[] = [
  {
    // Plain RFC 1350: no options.
    name: "tftp-hpa",
    command: "tftp",
    fetches: (port, name, out) => [
      { args: ["-m", "binary", host, String(port), "-c", "get", name, out], blockSize: 512 },
    ],
  },
  {
    // blksize, and windowsize (RFC 7440).
    name: "atftp",
    command: "atftp",
    fetches: (port, name, out) => {
      const get = ["-g", "-r", name, "-l", out, host, String(port)];
      return [
        { args: ["--option", "disable blksize", ...get], blockSize: 512 },
        { args: ["--option", "blksize 1428", ...get], blockSize: 1428 },
        { args: ["--option", "blksize 1428", "--option", "windowsize 8", ...get], blockSize: 1428 },
      ];
    },
  },
  {
    // The client on small Linux systems (initramfs, routers): blksize and tsize.
    name: "busybox tftp",
    command: "busybox",
    fetches: (port, name, out) => {
      const get = ["tftp", "-g", "-r", name, "-l", out];
      return [
        { args: [...get, host, String(port)], blockSize: 512 },
        { args: [...get, "-b", "1468", host, String(port)], blockSize: 1468 },
      ];
    },
  },
];

for (const client of PEER_CLIENTS) {
  Deno.test({
    name: `tftp: the ${client.name} client fetches files with and without options; traversal fails`,
    ignore: !await installed(client.command),
    async fn() {
      const kernel = randomBytes(2 * 1024 * 1024 + 77);
      await withServer({ "boot/vmlinuz": kernel }, async (port, events, metrics) => {
        const dir = await Deno.makeTempDir({ prefix: "ctpf-tftp-client-" });
        const out = `${dir}/out`;
        try {
          const fetches = client.fetches(port, "boot/vmlinuz", out);
          for (const { args } of fetches) {
            const fetched = await fetchWith(client.command, args, out);
            assert(fetched.ok && fetched.bytes, `${client.name} ${args.join(" ")}: ${fetched.text}`);
            assertEquals(sha256(fetched.bytes), sha256(kernel), `${client.name} ${args.join(" ")}`);
          }
          assertEquals(events.map((e) => e.blockSize), fetches.map((f) => f.blockSize));
          const escaped = await fetchWith(
            client.command,
            client.fetches(port, "../outside.txt", out)[0].args,
            out,
          );
          assert(!escaped.bytes || escaped.bytes.length === 0, `${client.name} fetched ../outside.txt`);
          const completed = () =>
            metrics().value("ctpf_bofied_tftp_transfers_total", { result: "completed" });
          await waitFor(() => completed() === fetches.length, {
            what: "the fetches counted",
            timeoutMs: 5000,
          });
          const counted = metrics();
          assertEquals(counted.value("ctpf_bofied_tftp_bytes_sent_total"), fetches.length * kernel.length);
          assertEquals(counted.value("ctpf_bofied_refusals_total", { reason: "path_traversal" }), 1);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      });
    },
  });
}

Deno.test("tftp: a large file rolls the block number over 65535 and arrives intact", async () => {
  const big = randomBytes(512 * 66000 + 100);
  await withServer({ "big.img": big }, async (port, events) => {
    const result = await curl("--tftp-blksize", "512", `tftp://127.0.0.1:${port}/big.img`);
    assertEquals(result.code, 0, result.error);
    assertEquals(sha256(result.body), sha256(big));
    assertEquals(events[0].blocks, 66001);
  });
});

Deno.test("tftp: traversal, absolute escapes and missing files are refused with a TFTP error", async () => {
  await withServer({ "ok.txt": new TextEncoder().encode("ok\n") }, async (port, _, metrics) => {
    assertEquals(new TextDecoder().decode((await curl(`tftp://127.0.0.1:${port}//ok.txt`)).body), "ok\n");
    for (const name of ["../outside.txt", "boot/../../outside.txt", "missing.bin"]) {
      const result = await curl("--path-as-is", `tftp://127.0.0.1:${port}/${name}`);
      assert(result.code !== 0, `${name} was served`);
      assertEquals(result.body.length, 0);
    }
    const refused = (reason: string) =>
      metrics().value("ctpf_bofied_refusals_total", { protocol: "tftp", reason });
    assertEquals([refused("path_traversal"), refused("not_found")], [2, 1]);
    assertEquals(metrics().value("ctpf_bofied_tftp_transfers_started_total"), 1);
  });
});

Deno.test("tftp: a client's ERROR ends the transfer, counted as failed by the client", async () => {
  await withServer({ "e.bin": randomBytes(5000) }, async (port, events, metrics) => {
    await scriptedRead(port, rrq("e.bin", { blksize: "1024" }), (packet, send) => {
      if (packet.op === TFTP_OACK) send({ op: 4, block: 0 });
      if (packet.op !== TFTP_DATA) return;
      send({ op: 5, code: 0, message: "disk full" });
      return "done";
    });
    const transfers = { result: "failed", reason: "client_error" };
    await waitFor(() => metrics().value("ctpf_bofied_tftp_transfers_total", transfers) === 1, {
      what: "the failed transfer counted",
      timeoutMs: 5000,
    });
    assertEquals(events.map((e) => [e.ok, e.reason]), [[false, "client: disk full"]]);
    assertEquals(metrics().value("ctpf_bofied_tftp_transfers_active"), 0);
    assertEquals(metrics().value("ctpf_bofied_tftp_bytes_sent_total"), 0);
  });
});

/** A scripted client: sends an RRQ and then follows `onPacket` for every reply, collecting the file. */
async function scriptedRead(
  port: number,
  request: Uint8Array,
  onPacket: (packet: TftpPacket, send: (p: TftpPacket) => void) => "done" | void,
): Promise<{ dataPackets: number }> {
  const socket = UdpSocket.open({ address: "127.0.0.1", port: 0 });
  let dataPackets = 0;
  try {
    socket.sendTo(request, "127.0.0.1", port);
    let peerPort = 0;
    const deadline = AbortSignal.timeout(20_000);
    for (;;) {
      const datagram = await socket.receive({ signal: deadline });
      peerPort = datagram.port;
      const decoded = decodeTftp(datagram.data);
      if (!decoded.ok) continue;
      if (decoded.value.op === TFTP_DATA) dataPackets++;
      const outcome = onPacket(decoded.value, (p) => socket.sendTo(encodeTftp(p), "127.0.0.1", peerPort));
      if (outcome === "done") break;
    }
    // Anything the server sends after the last ACK would be a spurious retransmission.
    await new Promise((resolve) => setTimeout(resolve, 300));
    while (socket.tryReceive()) dataPackets++;
    return { dataPackets };
  } finally {
    socket.close();
  }
}

function rrq(name: string, options: Record<string, string>): Uint8Array {
  return encodeTftp({ op: 1, filename: name, mode: "octet", options: new Map(Object.entries(options)) });
}

Deno.test("tftp: duplicate ACKs never cause duplicate DATA (no Sorcerer's Apprentice)", async () => {
  const file = randomBytes(512 * 50 + 7);
  await withServer({ "f.bin": file }, async (port) => {
    const received: Uint8Array[] = [];
    const { dataPackets } = await scriptedRead(port, rrq("f.bin", {}), (packet, send) => {
      if (packet.op !== TFTP_DATA) return;
      received.push(packet.data.slice());
      send({ op: 4, block: packet.block });
      send({ op: 4, block: packet.block }); // every ACK twice
      if (packet.data.length < 512) return "done";
    });
    assertEquals(dataPackets, 51);
    assertEquals(sha256(new Uint8Array(received.flatMap((b) => [...b]))), sha256(file));
  });
});

Deno.test("tftp: a timeout above 5 s is not granted (a silent client would hold its slot for minutes)", async () => {
  await withServer({ "t.bin": randomBytes(100) }, async (port) => {
    let oack: Map<string, string> | undefined;
    await scriptedRead(port, rrq("t.bin", { timeout: "200", blksize: "1024" }), (packet, send) => {
      if (packet.op === TFTP_OACK) {
        oack = new Map(packet.options);
        send({ op: 4, block: 0 });
        return;
      }
      if (packet.op === TFTP_DATA) {
        send({ op: 4, block: packet.block });
        return "done";
      }
    });
    assertEquals(oack?.get("blksize"), "1024");
    assertEquals(oack?.has("timeout"), false);
  });
});

Deno.test("tftp: windowsize sends a window per ACK, and resumes after a lost block (RFC 7440)", async () => {
  const file = randomBytes(1024 * 40 + 3);
  await withServer({ "w.bin": file }, async (port, events) => {
    const blocks = new Map<number, Uint8Array>();
    let dropped = false, expected = 1;
    await scriptedRead(port, rrq("w.bin", { blksize: "1024", windowsize: "8" }), (packet, send) => {
      if (packet.op === TFTP_OACK) {
        assertEquals(packet.options.get("windowsize"), "8");
        send({ op: 4, block: 0 });
        return;
      }
      if (packet.op !== TFTP_DATA) return;
      // Lose block 11 once: the client acknowledges 10, and the server must continue from 11.
      if (packet.block === 11 && !dropped) {
        dropped = true;
        send({ op: 4, block: 10 });
        return;
      }
      if (packet.block !== wireBlock(expected)) return; // out of order after the loss: discard
      blocks.set(expected, packet.data.slice());
      const last = packet.data.length < 1024;
      if (expected % 8 === 0 || last) send({ op: 4, block: packet.block });
      expected++;
      if (last) return "done";
    });
    const joined = new Uint8Array([...blocks.values()].flatMap((b) => [...b]));
    assertEquals(sha256(joined), sha256(file));
    assert(dropped);
    assertEquals(events[0].windowSize, 8);
  });
});

Deno.test("tftp: windows of a large file (read from disk a run at a time) arrive whole, in order, once", async () => {
  // Over 16 MiB, so blocks come from the file rather than memory; an exact multiple of the block size,
  // so the transfer ends with an empty block; windows of 22 leave in runs of a quarter window, 6, 6, 6
  // and 4. (Small blocks, so a window fits the test socket's default receive buffer.)
  const blockSize = 1024;
  const file = randomBytes(blockSize * 16_400);
  await withServer({ "large.img": file }, async (port, events) => {
    const hash = createHash("sha256");
    let expected = 1, received = 0;
    const { dataPackets } = await scriptedRead(
      port,
      rrq("large.img", { blksize: String(blockSize), windowsize: "22" }),
      (packet, send) => {
        if (packet.op === TFTP_OACK) return send({ op: 4, block: 0 });
        if (packet.op !== TFTP_DATA) return;
        assertEquals(packet.block, wireBlock(expected), "blocks arrive in order, none twice");
        hash.update(packet.data);
        received += packet.data.length;
        const last = packet.data.length < blockSize;
        if (expected % 22 === 0 || last) send({ op: 4, block: packet.block });
        expected++;
        if (last) return "done";
      },
    );
    assertEquals(received, file.length);
    assertEquals(hash.digest("hex"), sha256(file));
    assertEquals(dataPackets, 16_401, "16400 full blocks and the empty last one, nothing resent");
    assertEquals(events[0].windowSize, 22);
  });
});
