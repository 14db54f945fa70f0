// Smoke test of `deno task bundle`'s output, run by CI: each launcher dist/<name> must print its help, serve
// /healthz and the web UI on a free 127.0.0.1 port, and stop on SIGTERM. One PASS/FAIL line per check; exits
// non-zero on any failure. Usage: deno run --allow-all scripts/bundle_smoke.ts [binary…]
import { type RunningBinary, startBinary } from "../tests/support/ctpf_process.ts";
import { root, selectBinaries } from "./bundle.ts";

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

async function checkHelp(name: string, launcher: string, tool: boolean): Promise<void> {
  const { code, stdout } = await new Deno.Command(launcher, {
    args: ["--help"],
    env,
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const text = new TextDecoder().decode(stdout);
  // A tool (a deployer) has no --listen; its shared --plan flag stands in.
  const flag = tool ? "--plan" : "--listen";
  report(name, `--help exits 0 and lists ${flag}`, code === 0 && text.includes(flag), `exit ${code}`);
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.text(),
  };
}

/** The last lines of a process's log, indented, for a failure report. */
function logTail(text: string): string {
  return text.trimEnd().split("\n").slice(-20).map((line) => `  | ${line}`).join("\n");
}

/**
 * What a binary needs beyond the defaults to start. gloeth needs a node directory: made here with its own
 * subcommands (so they are smoke-tested too), and run as a relay (no TAP) that dials nobody.
 */
async function prepare(name: string, launcher: string, workDir: string): Promise<string[]> {
  if (name !== "gloeth") return [];
  const run = async (...args: string[]) =>
    (await new Deno.Command(launcher, { args, env, stdout: "null", stderr: "inherit" }).output()).code === 0;
  const made = await run("network-init", `${workDir}/network`) &&
    await run("node-init", `${workDir}/network`, `${workDir}/node`, "--name", "smoke");
  report(name, "network-init and node-init make a node directory", made);
  return ["--node-dir", `${workDir}/node`, "--tap", "", "--link-listen", "127.0.0.1:0"];
}

async function checkServe(name: string, launcher: string): Promise<void> {
  const workDir = await Deno.makeTempDir({ prefix: `ctpf-smoke-${name}-` });
  try {
    await serve(name, launcher, await prepare(name, launcher, workDir));
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}

async function serve(name: string, launcher: string, args: string[]): Promise<void> {
  const failuresBefore = failures;
  let server: RunningBinary;
  try {
    // startBinary adds --listen 127.0.0.1:0 and a temporary --data-dir, waits for the "listening" line
    // (30 s at most, less if the process exits first) and stops the process by PID on dispose.
    server = await startBinary({ command: [launcher], env, args });
  } catch (error) {
    const [reason, ...log] = (error instanceof Error ? error.message : String(error)).split("\n");
    report(name, "logs msg=listening with its URL within 30 s", false, reason);
    if (log.length) console.log(logTail(log.join("\n")));
    return;
  }
  report(name, "logs msg=listening with its URL within 30 s", true);
  try {
    const health = await get(`${server.url}/healthz`);
    report(name, 'GET /healthz is {"status":"ok"}', health.body.trim() === '{"status":"ok"}', health.body);
    const page = await get(`${server.url}/`);
    report(
      name,
      "GET / serves the web UI's HTML",
      page.status === 200 && page.type.startsWith("text/html") && page.body.includes('<div id="root">'),
      `${page.status} ${page.type}`,
    );
  } catch (error) {
    report(name, "HTTP requests", false, String(error));
  } finally {
    // SIGTERM to this PID (the launcher execs deno, so it is the server itself), SIGKILL after 5 s.
    await server[Symbol.asyncDispose]();
    const { code, signal } = await server.process.status;
    report(
      name,
      "exits 0 within 5 s of SIGTERM",
      code === 0 && signal === null,
      JSON.stringify({ code, signal }),
    );
    if (failures > failuresBefore) console.log(logTail(server.output()));
  }
}

if (import.meta.main) {
  for (const [name, spec] of selectBinaries(Deno.args)) {
    const launcher = `${root}dist/${name}`;
    const built = await Deno.stat(launcher).then((s) => s.isFile, () => false);
    if (!report(name, `${launcher} exists`, built, built ? "" : "run deno task bundle first")) continue;
    await checkHelp(name, launcher, spec.tool ?? false);
    // A tool serves nothing.
    if (!spec.tool) await checkServe(name, launcher);
  }
  console.log(
    `bundle smoke: ${failures ? `FAIL (${failures} of ${checks} checks failed)` : `PASS (${checks} checks)`}`,
  );
  Deno.exit(failures ? 1 : 0);
}
