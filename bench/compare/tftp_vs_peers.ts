// bofied's TFTP server against tftpd-hpa and atftpd in the same run, on loopback: a 64 MiB image fetched
// lock-step with blksize 512 and 1468 (clients curl, tftp-hpa, atftp, busybox) and with RFC 7440
// windowsize (atftp, the only Debian client that asks for it). Every fetched copy is checked against the file's SHA-256.
// Servers and clients that are not installed are named and skipped; nothing else is.
// Debian packages: tftpd-hpa (in.tftpd), atftpd, tftp-hpa (tftp), atftp, curl, busybox.
import { createHash } from "node:crypto";
import { UdpSocket } from "../../core/sys/mod.ts";
import { startBinary } from "../../tests/support/ctpf_process.ts";

const megabytes = Number(Deno.env.get("CTPF_BENCH_TFTP_MIB") ?? 64);
const timeoutMs = 120_000;

interface Server {
  name: string;
  port: number;
  stop(): Promise<void>;
}

interface Fetch {
  client: string;
  options: string;
  args: (port: number, out: string) => [string, string[]];
}

async function installed(tool: string): Promise<boolean> {
  const found = await new Deno.Command("sh", { args: ["-c", `command -v "$1"`, "sh", tool], stdout: "null" })
    .output();
  return found.success;
}

function freePort(): number {
  const probe = UdpSocket.open({ address: "127.0.0.1" });
  try {
    return probe.localAddress().port;
  } finally {
    probe.close();
  }
}

async function spawnServer(name: string, command: string, args: string[], port: number): Promise<Server> {
  const child = new Deno.Command(command, { args, stdout: "null", stderr: "piped" }).spawn();
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    name,
    port,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.output();
    },
  };
}

const fetches: Fetch[] = [
  ...[512, 1468].map((blksize): Fetch => ({
    client: "curl",
    options: `blksize ${blksize}`,
    args: (port, out) => [
      "curl",
      ["-sS", "--tftp-blksize", String(blksize), "-o", out, `tftp://127.0.0.1:${port}/image.img`],
    ],
  })),
  {
    // tftp-hpa's client asks for no options from the command line: plain RFC 1350, 512-byte blocks.
    client: "tftp",
    options: "blksize 512 (no options)",
    args: (port, out) => ["tftp", ["-m", "binary", "127.0.0.1", String(port), "-c", "get", "image.img", out]],
  },
  ...[512, 1468].map((blksize): Fetch => ({
    // busybox's client, as in initramfs images: lock-step, blksize by -b.
    client: "busybox",
    options: `blksize ${blksize}`,
    args: (port, out) => [
      "busybox",
      ["tftp", "-g", "-r", "image.img", "-l", out, "-b", String(blksize), "127.0.0.1", String(port)],
    ],
  })),
  ...[512, 1468].map((blksize): Fetch => ({
    client: "atftp",
    options: `blksize ${blksize}`,
    args: (port, out) => [
      "atftp",
      ["--option", `blksize ${blksize}`, "-g", "-r", "image.img", "-l", out, "127.0.0.1", String(port)],
    ],
  })),
  ...[8, 16].map((window): Fetch => ({
    client: "atftp",
    options: `blksize 1468 windowsize ${window}`,
    args: (port, out) => [
      "atftp",
      [
        "--option",
        "blksize 1468",
        "--option",
        `windowsize ${window}`,
        "-g",
        "-r",
        "image.img",
        "-l",
        out,
        "127.0.0.1",
        String(port),
      ],
    ],
  })),
];

const root = await Deno.makeTempDir({ prefix: "ctpf-bench-tftp-" });
const bootDir = `${root}/data/bofied/boot`;
await Deno.mkdir(bootDir, { recursive: true });
const image = new Uint8Array(megabytes << 20);
for (let i = 0; i < image.length; i += 65536) crypto.getRandomValues(image.subarray(i, i + 65536));
await Deno.writeFile(`${bootDir}/image.img`, image);
const expected = createHash("sha256").update(image).digest("hex");

const rows: string[] = [];
const skipped: string[] = [];

async function measure(server: Server) {
  for (const fetch of fetches) {
    if (!await installed(fetch.client)) {
      skipped.push(`client ${fetch.client}`);
      continue;
    }
    const out = `${root}/out`;
    await Deno.remove(out).catch(() => {});
    const [command, args] = fetch.args(server.port, out);
    const started = performance.now();
    const result = await new Deno.Command(command, {
      args,
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output().catch((error) => ({ success: false, stderr: new TextEncoder().encode(String(error)) }));
    const seconds = (performance.now() - started) / 1000;
    let verdict: string;
    if (!result.success) verdict = `failed: ${new TextDecoder().decode(result.stderr).trim().slice(0, 80)}`;
    else {
      const got = createHash("sha256").update(await Deno.readFile(out)).digest("hex");
      verdict = got === expected ? `${(megabytes / seconds).toFixed(1)} MiB/s` : "checksum mismatch";
    }
    rows.push(`${server.name.padEnd(10)} ${fetch.client.padEnd(7)} ${fetch.options.padEnd(26)} ${verdict}`);
  }
}

try {
  {
    const port = freePort();
    await using bofied = await startBinary({
      entry: "cmd/bofied.ts",
      dataDir: `${root}/data`,
      args: ["--tftp-listen", `127.0.0.1:${port}`],
    });
    void bofied;
    await measure({ name: "bofied", port, stop: async () => {} });
  }
  if (await installed("in.tftpd")) {
    const port = freePort();
    // -L: stay in the foreground; -s: chroot to the served tree (as root, which this benchmark runs as).
    const server = await spawnServer("tftpd-hpa", "in.tftpd", [
      "-L",
      "-s",
      "-a",
      `127.0.0.1:${port}`,
      bootDir,
    ], port);
    try {
      await measure(server);
    } finally {
      await server.stop();
    }
  } else skipped.push("server tftpd-hpa (in.tftpd)");
  if (await installed("atftpd")) {
    const port = freePort();
    const server = await spawnServer("atftpd", "atftpd", [
      "--daemon",
      "--no-fork",
      "--logfile",
      "/dev/null",
      // Its default user (nobody) cannot read the private temporary tree this benchmark made.
      "--user",
      "root.root",
      "--port",
      String(port),
      "--bind-address",
      "127.0.0.1",
      bootDir,
    ], port);
    try {
      await measure(server);
    } finally {
      await server.stop();
    }
  } else skipped.push("server atftpd");
} finally {
  await Deno.remove(root, { recursive: true });
}

console.log(`${megabytes} MiB over TFTP on 127.0.0.1, ${Deno.build.target}`);
console.log("server     client options                    result");
for (const row of rows) console.log(row);
if (skipped.length > 0) console.log(`not installed, skipped: ${[...new Set(skipped)].join(", ")}`);
