// bofied's TFTP server against tftpd-hpa and atftpd in the same run, on loopback. All three serve the same
// image at once, each on its own port, and every measurement alternates between them (the order rotates
// each pass), so that a noisy moment hurts all of them alike. Lock-step and windowed rates vary a lot from
// pass to pass (the peers sleep between blocks, and how fast a core wakes depends on how idle it is), so
// each is reported as median [min–max] over the passes.
//
// - One client at a time: a 64 MiB image with curl, tftp-hpa, busybox and atftp (blksize 512 and 1468,
//   and RFC 7440 windowsize with atftp).
// - 32 clients at once (curl, blksize 1468), each from its own source address (127.0.1.1–32), as 32
//   machines booting: the aggregate rate from the first request to the last byte.
// - CPU seconds per GiB served: the server's utime + stime over each measurement, with its children's
//   (tftpd-hpa forks a child per transfer; see tftp/cpu.ts).
// - CPU used while idle, before and after the transfers, in ms per second.
// Every fetched copy is checked against the image's SHA-256. Servers and clients that are not installed
// are named and skipped; nothing else is.
// Debian packages: tftpd-hpa (in.tftpd), atftpd, tftp-hpa (tftp), atftp, curl, busybox.
//
// Settings (environment): CTPF_BENCH_TFTP_MIB (image size, 64), CTPF_BENCH_TFTP_PASSES (5),
// CTPF_BENCH_TFTP_CLIENTS (clients at once, 32), CTPF_BENCH_TFTP_CONCURRENT_PASSES (3),
// CTPF_BENCH_TFTP_FETCHES (only the single-client fetches whose "client options" contain it),
// CTPF_BENCH_TFTP_PHASES (any of idle,single,concurrent), CTPF_BENCH_TFTP_IDLE_SECONDS (10),
// CTPF_BENCH_TFTP_SERVERS (only these, comma-separated), CTPF_BENCH_TFTP_DENO_FLAGS (more `deno run` flags
// for bofied, space-separated: to profile it, `--cpu-prof --cpu-prof-dir=<dir>`).
import { childrenDone, clientsSeconds, machineBusySeconds } from "./tftp/cpu.ts";
import { curlFrom, type Fetch, fetchedCorrectly, fetches, runFetch, sha256 } from "./tftp/fetches.ts";
import {
  installed,
  startAtftpd,
  startBofied,
  startTftpdHpa,
  type TftpServerProcess,
} from "./tftp/servers.ts";
import { medianRange } from "./tftp/stats.ts";

const env = (name: string, fallback: string) => Deno.env.get(name) ?? fallback;
const megabytes = Number(env("CTPF_BENCH_TFTP_MIB", "64"));
const passes = Number(env("CTPF_BENCH_TFTP_PASSES", "5"));
const clientsAtOnce = Number(env("CTPF_BENCH_TFTP_CLIENTS", "32"));
const concurrentPasses = Number(env("CTPF_BENCH_TFTP_CONCURRENT_PASSES", "3"));
const fetchFilter = env("CTPF_BENCH_TFTP_FETCHES", "");
const phases = env("CTPF_BENCH_TFTP_PHASES", "idle,single,concurrent").split(",");
const idleSeconds = Number(env("CTPF_BENCH_TFTP_IDLE_SECONDS", "10"));
const onlyServers = env("CTPF_BENCH_TFTP_SERVERS", "bofied,tftpd-hpa,atftpd").split(",");
const denoFlags = env("CTPF_BENCH_TFTP_DENO_FLAGS", "").split(" ").filter((flag) => flag !== "");
const concurrentBlksize = 1468;
const timeoutMs = 300_000;
const gib = 1 << 30;

const root = await Deno.makeTempDir({ prefix: "ctpf-bench-tftp-" });
// Fetched copies go to memory (tmpfs), so that no disk is in the way of 32 clients writing at once.
const outDir = await Deno.makeTempDir({
  prefix: "ctpf-bench-tftp-out-",
  dir: await Deno.stat("/dev/shm").then(() => "/dev/shm", () => undefined),
});
const bootDir = `${root}/data/bofied/boot`;
await Deno.mkdir(bootDir, { recursive: true });
const image = new Uint8Array(megabytes << 20);
for (let i = 0; i < image.length; i += 65536) crypto.getRandomValues(image.subarray(i, i + 65536));
await Deno.writeFile(`${bootDir}/image.img`, image);
const expected = sha256(image);

const rotated = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]);
const skipped = new Set<string>();
const lines: string[] = [];

/** A server's CPU seconds over `work`, once its forked children (if any) have ended. */
async function withCpu<T>(server: TftpServerProcess, work: () => Promise<T>): Promise<[T, number]> {
  const before = await server.cpu.seconds();
  const result = await work();
  await childrenDone(server.pid);
  return [result, (await server.cpu.seconds()) - before];
}

async function idle(servers: TftpServerProcess[], when: string) {
  // Startup work (JIT, caches) and the last transfer's tail are not what "idle" means.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const before = await Promise.all(servers.map((server) => server.cpu.seconds()));
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const after = await Promise.all(servers.map((server) => server.cpu.seconds()));
  lines.push(`idle ${idleSeconds} s ${when} (3 s after), CPU ms per second:`);
  servers.forEach((server, i) => {
    lines.push(`  ${server.name.padEnd(10)} ${((after[i] - before[i]) * 1000 / idleSeconds).toFixed(3)}`);
  });
}

async function single(servers: TftpServerProcess[]) {
  const chosen: Fetch[] = [];
  for (const fetch of fetches) {
    if (!`${fetch.client} ${fetch.options}`.includes(fetchFilter)) continue;
    if (await installed(fetch.client)) chosen.push(fetch);
    else skipped.add(`client ${fetch.client}`);
  }
  const rates = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const failures = new Map<string, string[]>();
  const key = (fetch: Fetch, server: TftpServerProcess) => `${fetch.client} ${fetch.options}|${server.name}`;
  for (let pass = 0; pass < passes; pass++) {
    for (const fetch of chosen) {
      for (const server of rotated(servers, pass)) {
        const out = `${outDir}/single`;
        const started = performance.now();
        const [outcome, cpuUsed] = await withCpu(
          server,
          () => runFetch(fetch.args(server.port, "image.img", out), timeoutMs),
        );
        const seconds = (performance.now() - started) / 1000;
        const correct = await fetchedCorrectly(out, expected);
        const k = key(fetch, server);
        if (!outcome.ok || !correct) {
          failures.set(k, [...failures.get(k) ?? [], outcome.ok ? "checksum mismatch" : outcome.why]);
          continue;
        }
        rates.set(k, [...rates.get(k) ?? [], megabytes / seconds]);
        cpu.set(k, [...cpu.get(k) ?? [], cpuUsed / (image.length / gib)]);
      }
    }
  }
  lines.push(
    `one client at a time, ${megabytes} MiB, ${passes} passes: MiB/s and CPU s/GiB, median [min–max]`,
  );
  lines.push(`${"client, options".padEnd(38)} ${"server".padEnd(10)} ${"MiB/s".padEnd(24)} CPU s/GiB`);
  for (const fetch of chosen) {
    for (const server of servers) {
      const k = key(fetch, server);
      const failed = failures.get(k) ?? [];
      const note = failed.length > 0 ? `  (${failed.length} failed: ${failed[0]})` : "";
      lines.push(
        `${`${fetch.client}, ${fetch.options}`.padEnd(38)} ${server.name.padEnd(10)} ${
          medianRange(rates.get(k) ?? []).padEnd(24)
        } ${medianRange(cpu.get(k) ?? [], 2)}${note}`,
      );
    }
  }
}

interface ConcurrentPass {
  rate: number;
  cpuPerGib: number;
  /** The curl clients' CPU s/GiB. */
  clientsPerGib: number;
  /** Cores the whole machine kept busy (server, clients, and anything else running). */
  busyCores: number;
  slowest: number;
  fastest: number;
  failed: string[];
}

/** `clientsAtOnce` curl clients, each from its own 127.0.1.x address, all started together. */
async function concurrentPass(server: TftpServerProcess): Promise<ConcurrentPass> {
  const clientsBefore = await clientsSeconds();
  const busyBefore = await machineBusySeconds();
  const started = performance.now();
  const [ends, cpuUsed] = await withCpu(
    server,
    () =>
      Promise.all(Array.from({ length: clientsAtOnce }, async (_, i) => {
        const out = `${outDir}/client-${i}`;
        const command = curlFrom(`127.0.1.${i + 1}`, concurrentBlksize)(server.port, "image.img", out);
        const outcome = await runFetch(command, timeoutMs);
        return { i, out, outcome, seconds: (performance.now() - started) / 1000 };
      })),
  );
  const busy = await machineBusySeconds() - busyBefore;
  const clients = await clientsSeconds() - clientsBefore;
  const failed: string[] = [];
  for (const end of ends) {
    if (!end.outcome.ok) failed.push(`client ${end.i}: ${end.outcome.why}`);
    if (!await fetchedCorrectly(end.out, expected) && end.outcome.ok) {
      failed.push(`client ${end.i}: bad copy`);
    }
  }
  const seconds = ends.map((end) => end.seconds);
  const wall = Math.max(...seconds);
  const bytes = clientsAtOnce * image.length;
  return {
    rate: bytes / (1 << 20) / wall,
    cpuPerGib: cpuUsed / (bytes / gib),
    clientsPerGib: clients / (bytes / gib),
    busyCores: busy / ((performance.now() - started) / 1000),
    slowest: wall,
    fastest: Math.min(...seconds),
    failed,
  };
}

async function concurrent(servers: TftpServerProcess[]) {
  if (!await installed("curl")) {
    skipped.add("client curl (for the clients at once)");
    return;
  }
  const results = new Map<string, ConcurrentPass[]>();
  for (let pass = 0; pass < concurrentPasses; pass++) {
    for (const server of rotated(servers, pass)) {
      results.set(server.name, [...results.get(server.name) ?? [], await concurrentPass(server)]);
    }
  }
  lines.push(
    `${clientsAtOnce} curl clients at once (blksize ${concurrentBlksize}, one source address each), ${megabytes} MiB ` +
      `each, ${concurrentPasses} passes: median [min–max]`,
  );
  lines.push(
    `${"server".padEnd(10)} ${"aggregate MiB/s".padEnd(22)} ${"CPU s/GiB".padEnd(20)} ${
      "clients' CPU s/GiB".padEnd(20)
    } ${`machine busy, cores of ${navigator.hardwareConcurrency}`.padEnd(24)} first / last client done, s`,
  );
  for (const server of servers) {
    const runs = results.get(server.name) ?? [];
    const good = runs.filter((run) => run.failed.length === 0);
    const failed = runs.flatMap((run) => run.failed);
    const column = (pick: (run: ConcurrentPass) => number, digits: number, width: number) =>
      medianRange(good.map(pick), digits).padEnd(width);
    lines.push(
      `${server.name.padEnd(10)} ${column((run) => run.rate, 1, 22)} ${
        column((run) => run.cpuPerGib, 2, 20)
      } ${column((run) => run.clientsPerGib, 2, 20)} ${column((run) => run.busyCores, 2, 24)} ${
        column((run) => run.fastest, 1, 0)
      } / ${column((run) => run.slowest, 1, 0)}${
        failed.length > 0 ? `  (${runs.length - good.length} passes failed: ${failed[0]})` : ""
      }`,
    );
  }
}

const servers: TftpServerProcess[] = [];
try {
  if (onlyServers.includes("bofied")) servers.push(await startBofied(`${root}/data`, denoFlags));
  if (!onlyServers.includes("tftpd-hpa")) { /* not asked for */ }
  else if (await installed("in.tftpd")) servers.push(await startTftpdHpa(bootDir));
  else skipped.add("server tftpd-hpa (in.tftpd)");
  if (!onlyServers.includes("atftpd")) { /* not asked for */ }
  else if (await installed("atftpd")) servers.push(await startAtftpd(bootDir));
  else skipped.add("server atftpd");
  if (phases.includes("idle")) await idle(servers, "after start");
  if (phases.includes("single")) await single(servers);
  if (phases.includes("concurrent")) await concurrent(servers);
  if (phases.includes("idle")) await idle(servers, "after the transfers");
} finally {
  for (const server of servers) await server.stop();
  await Deno.remove(root, { recursive: true });
  await Deno.remove(outDir, { recursive: true });
}

console.log(
  `TFTP on 127.0.0.1, ${Deno.build.target}, load ${(await Deno.readTextFile("/proc/loadavg")).trim()}`,
);
console.log(`CPU counted by: ${[...new Set(servers.map((server) => server.cpu.how))].join("; ")}`);
for (const line of lines) console.log(line);
if (skipped.size > 0) console.log(`not installed, skipped: ${[...skipped].join(", ")}`);
