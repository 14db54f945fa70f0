// bofied's HTTP boot-file serving against nginx in the same run, on loopback: wrk fetching a 4 KiB iPXE
// script and a 64 MiB image, from bofied's main port (Deno.serve) and from its sendfile port
// (--boot-http-listen). Needs Debian's nginx and wrk. nginx runs with 1 worker (like bofied's one
// event loop) and with 2 (all cores here); both are reported. nginx's workers run as root here only so
// they can read the private temporary tree the test made.
import { startBinary } from "../../tests/support/ctpf_process.ts";
import { requireTools } from "../../tests/harness/mod.ts";

const seconds = Number(Deno.env.get("CTPF_BENCH_SECONDS") ?? 8);

interface Result {
  server: string;
  file: string;
  requestsPerSecond: number;
  megabytesPerSecond: number;
  p99: string;
}

async function wrk(url: string, server: string, file: string): Promise<Result> {
  const output = await new Deno.Command("wrk", {
    args: ["-t2", "-c32", `-d${seconds}s`, "--latency", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(text);
  const unit = { KB: 1 / 1024, MB: 1, GB: 1024 }[transfer?.[2] ?? "MB"] ?? NaN;
  if (/Non-2xx/.test(text)) throw new Error(`${server}: errors during the run:\n${text}`);
  return {
    server,
    file,
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    megabytesPerSecond: Number(transfer?.[1] ?? NaN) * unit,
    p99: /99%\s+(\S+)/.exec(text)?.[1] ?? "?",
  };
}

async function withNginx<T>(root: string, workers: number, work: (url: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-bench-nginx-" });
  const port = 18000 + Math.floor(Math.random() * 1000);
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `daemon off; user root; worker_processes ${workers}; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; client_body_temp_path ${dir};
  proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; location /boot/ { alias ${root}/; } } }`,
  );
  const nginx = new Deno.Command("nginx", {
    args: ["-c", `${dir}/nginx.conf`, "-p", dir],
    stdout: "null",
    stderr: "piped",
  })
    .spawn();
  try {
    for (let i = 0; i < 50; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/boot/small.ipxe`).then(
          (r) => (r.body?.cancel(), r.ok),
          () => false,
        )
      ) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return await work(`http://127.0.0.1:${port}`);
  } finally {
    nginx.kill("SIGTERM");
    await nginx.status;
    await Deno.remove(dir, { recursive: true });
  }
}

await requireTools("nginx", "wrk");
const dataDir = await Deno.makeTempDir({ prefix: "ctpf-bench-bofied-" });
const root = `${dataDir}/bofied/boot`;
await Deno.mkdir(root, { recursive: true });
await Deno.writeTextFile(`${root}/small.ipxe`, "#!ipxe\n" + "echo booting\n".repeat(340));
const big = new Uint8Array(64 << 20);
for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
await Deno.writeFile(`${root}/image.img`, big);

const results: Result[] = [];
try {
  {
    const sendfilePort = 19000 + Math.floor(Math.random() * 1000);
    await using bofied = await startBinary({
      entry: "cmd/bofied.ts",
      dataDir,
      args: ["--boot-http-listen", `127.0.0.1:${sendfilePort}`],
    });
    for (const file of ["small.ipxe", "image.img"]) {
      results.push(await wrk(`${bofied.url}/boot/${file}`, "bofied (main)", file));
    }
    for (const file of ["small.ipxe", "image.img"]) {
      results.push(await wrk(`http://127.0.0.1:${sendfilePort}/boot/${file}`, "bofied (sendfile)", file));
    }
  }
  for (const workers of [1, 2]) {
    await withNginx(root, workers, async (url) => {
      for (const file of ["small.ipxe", "image.img"]) {
        results.push(
          await wrk(`${url}/boot/${file}`, `nginx (${workers} worker${workers > 1 ? "s" : ""})`, file),
        );
      }
    });
  }
} finally {
  await Deno.remove(dataDir, { recursive: true });
}
console.log(`wrk -t2 -c32 -d${seconds}s on 127.0.0.1, ${Deno.build.target}`);
console.log("server              file         requests/s      MB/s   p99");
for (const r of results) {
  console.log(
    `${r.server.padEnd(19)} ${r.file.padEnd(11)} ${r.requestsPerSecond.toFixed(0).padStart(11)} ${
      r.megabytesPerSecond.toFixed(1).padStart(9)
    }   ${r.p99}`,
  );
}
const rate = (server: string, file: string) => {
  const result = results.find((r) => r.server === server && r.file === file);
  return file === "image.img" ? result?.megabytesPerSecond ?? NaN : result?.requestsPerSecond ?? NaN;
};
for (const server of ["bofied (main)", "bofied (sendfile)"]) {
  const ratios = ["small.ipxe", "image.img"].map((file) =>
    `${file} ${(rate(server, file) / rate("nginx (1 worker)", file)).toFixed(2)}×`
  );
  console.log(`${server} / nginx (1 worker): ${ratios.join(", ")} (goal ≥ 0.8×)`);
}
