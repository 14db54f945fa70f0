// The floor under every request/answer path of ours (issue 17: necon's light-load REQUEST→ACK, gloeth's
// ping): the round trip of one small UDP datagram through an echo server on loopback at light load, for
// each way a Deno program can take a datagram, beside a plain libc echo (CPython's socket module). The
// servers are in bench/udp_floor/. Passes alternate the servers; median [min–max] over passes of the
// per-pass median RTT. Loopback only.
import { medianRange } from "./tftp/stats.ts";

const passes = Number(Deno.env.get("CTPF_BENCH_UDP_FLOOR_PASSES") ?? 5);
const exchanges = 400;
const here = new URL("../udp_floor/", import.meta.url).pathname;
const deno = Deno.execPath();

const servers: { name: string; command: string[] }[] = [
  { name: "libc recvfrom/sendto (python3)", command: ["python3", `${here}libc_echo.py`] },
  {
    name: "Deno.listenDatagram",
    command: [deno, "run", "-A", "--unstable-net", `${here}echo_servers.ts`, "deno"],
  },
  {
    name: "core/sys UdpSocket + epoll poller (necon's)",
    command: [deno, "run", "-A", `${here}echo_servers.ts`, "ctpf-poller"],
  },
  {
    name: "sync FFI recvfrom on a Worker",
    command: [deno, "run", "-A", `${here}echo_servers.ts`, "worker-blocking"],
  },
];

async function waitForReady(lines: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<void> {
  const reader = lines.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = setTimeout(() => reader.cancel("no ready line in 20 s"), 20_000);
  try {
    while (!text.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`server ended before it was ready: ${text}`);
      text += value;
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
}

async function onePass(command: string[], port: number): Promise<number> {
  const server = new Deno.Command(command[0], { args: [...command.slice(1), String(port)], stdout: "piped" })
    .spawn();
  try {
    await waitForReady(server.stdout);
    server.stdout.cancel().catch(() => {});
    const client = await new Deno.Command("python3", {
      args: [`${here}client.py`, String(port), String(exchanges)],
      signal: AbortSignal.timeout(60_000),
    }).output();
    if (!client.success) throw new Error(new TextDecoder().decode(client.stderr));
    return Number(new TextDecoder().decode(client.stdout).trim());
  } finally {
    server.kill("SIGKILL");
    await server.status;
  }
}

const results = new Map(servers.map((server) => [server.name, [] as number[]]));
for (let pass = 0; pass < passes; pass++) {
  for (const server of pass % 2 === 0 ? servers : [...servers].reverse()) {
    results.get(server.name)!.push(
      await onePass(server.command, 39_400 + pass * 10 + servers.indexOf(server)),
    );
  }
}
console.log(
  `UDP echo round trip on loopback, 300 B, one in flight every 5 ms, ${exchanges} exchanges a pass;`,
);
console.log(`median RTT in ms over ${passes} passes: median [min–max]`);
for (const [name, values] of results) console.log(`  ${name.padEnd(46)} ${medianRange(values, 3)}`);
