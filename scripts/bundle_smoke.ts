// Smoke test of `deno task bundle`'s output, run by CI: each launcher dist/<name> must print its help, serve
// /healthz and the web UI on a free 127.0.0.1 port, and stop on SIGTERM. One PASS/FAIL line per check; exits
// non-zero on any failure. Usage: deno run --allow-all scripts/bundle_smoke.ts [binary…]
import { root, selectBinaries } from "./bundle.ts";

const listeningLine = /msg=listening url=(http:\/\/127\.0\.0\.1:\d+\/)/;
let failures = 0;
let checks = 0;

function report(name: string, check: string, ok: boolean, detail = ""): boolean {
  checks++;
  if (!ok) failures++;
  console.log(`${ok ? "PASS" : "FAIL"} ${name}: ${check}${detail ? ` (${detail})` : ""}`);
  return ok;
}

// The launcher runs "${DENO:-deno}": point it at this deno so PATH cannot pick another version.
const env = { DENO: Deno.execPath() };

async function checkHelp(name: string, launcher: string): Promise<void> {
  const { code, stdout } = await new Deno.Command(launcher, {
    args: ["--help"],
    env,
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const text = new TextDecoder().decode(stdout);
  report(name, "--help exits 0 and lists --listen", code === 0 && text.includes("--listen"), `exit ${code}`);
}

/** Reads stderr lines into `log` until the end; resolves with the URL from the "listening" line. */
function watchLog(
  stderr: ReadableStream<Uint8Array>,
  log: string[],
  timeoutMs: number,
): Promise<string | undefined> {
  const listening = Promise.withResolvers<string | undefined>();
  const timer = setTimeout(() => listening.resolve(undefined), timeoutMs);
  (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    // Keep reading after the match so a chatty server never blocks on a full pipe.
    for await (const bytes of stderr) {
      const lines = (pending + decoder.decode(bytes, { stream: true })).split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        log.push(line);
        const url = line.match(listeningLine)?.[1];
        if (url) listening.resolve(url);
      }
    }
    listening.resolve(undefined);
  })().catch(() => listening.resolve(undefined)).finally(() => clearTimeout(timer));
  return listening.promise;
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

async function checkServe(name: string, launcher: string): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: `ctpf-smoke-${name}-` });
  const failuresBefore = failures;
  const log: string[] = [];
  const child = new Deno.Command(launcher, {
    args: ["--listen", "127.0.0.1:0", "--data-dir", dataDir],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const url = await watchLog(child.stderr, log, 30_000);
    if (report(name, "logs msg=listening with its URL within 30 s", url !== undefined)) {
      try {
        const health = await get(`${url}healthz`);
        report(
          name,
          'GET /healthz is {"status":"ok"}',
          health.body.trim() === '{"status":"ok"}',
          health.body,
        );
        const page = await get(url!);
        report(
          name,
          "GET / serves the web UI's HTML",
          page.status === 200 && page.type.startsWith("text/html") && page.body.includes('<div id="root">'),
          `${page.status} ${page.type}`,
        );
      } catch (error) {
        report(name, "HTTP requests", false, String(error));
      }
    }
  } finally {
    // Signals go to this PID: the launcher execs deno, so it is the server itself.
    const stopped = await stop(child);
    report(
      name,
      "exits 0 within 5 s of SIGTERM",
      stopped.code === 0 && !stopped.killed,
      JSON.stringify(stopped),
    );
    if (failures > failuresBefore && log.length) {
      console.log(log.slice(-20).map((line) => `  | ${line}`).join("\n"));
    }
    await Deno.remove(dataDir, { recursive: true });
  }
}

async function stop(child: Deno.ChildProcess): Promise<{ code: number; killed: boolean }> {
  try {
    Deno.kill(child.pid, "SIGTERM");
  } catch {
    // already gone; its status below says how it ended
  }
  let timer: number | undefined;
  const exited = await Promise.race([
    child.status,
    new Promise<undefined>((resolve) => timer = setTimeout(resolve, 5000)),
  ]);
  clearTimeout(timer);
  if (exited) return { code: exited.code, killed: false };
  Deno.kill(child.pid, "SIGKILL");
  return { code: (await child.status).code, killed: true };
}

if (import.meta.main) {
  for (const [name] of selectBinaries(Deno.args)) {
    const launcher = `${root}dist/${name}`;
    const built = await Deno.stat(launcher).then((s) => s.isFile, () => false);
    if (!report(name, `${launcher} exists`, built, built ? "" : "run deno task bundle first")) continue;
    await checkHelp(name, launcher);
    await checkServe(name, launcher);
  }
  console.log(
    `bundle smoke: ${failures ? `FAIL (${failures} of ${checks} checks failed)` : `PASS (${checks} checks)`}`,
  );
  Deno.exit(failures ? 1 : 0);
}
