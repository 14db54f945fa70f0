/**
 * Starts a real CTPF binary as a child process on 127.0.0.1 with a free port and a temporary data
 * directory, waits for its "listening" log line, and stops it by PID when disposed.
 */
export interface RunningBinary extends AsyncDisposable {
  url: string;
  dataDir: string;
  adminToken: string;
  /** Everything the process wrote to stderr so far. */
  output(): string;
  process: Deno.ChildProcess;
}

const root = new URL("../../", import.meta.url).pathname;

export async function startBinary(
  options: {
    entry?: string;
    args?: string[];
    env?: Record<string, string>;
    command?: string[];
    /** Reuse a data directory (a restart); the caller then owns and removes it. */
    dataDir?: string;
    /** How long to wait for the "listening" line (an emulated binary starts slower). */
    listenTimeoutMs?: number;
  } = {},
): Promise<RunningBinary> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "ctpf-test-" });
  const command = options.command ??
    [Deno.execPath(), "run", "--allow-all", `${root}${options.entry ?? "cmd/ctpf.ts"}`];
  const child = new Deno.Command(command[0], {
    args: [...command.slice(1), "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...(options.args ?? [])],
    env: options.env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const listening = Promise.withResolvers<string>();
  (async () => {
    for await (const chunk of child.stderr) {
      text += decoder.decode(chunk, { stream: true });
      const match = /msg=listening url=(http:\/\/\S+?)\/?(\s|$)/m.exec(text) ??
        /"msg":"listening","url":"(http:\/\/[^"]+?)\/?"/.exec(text);
      if (match) listening.resolve(match[1]);
    }
    listening.reject(new Error(`binary exited before listening:\n${text}`));
  })().catch((error) => listening.reject(error));
  const listenTimeoutMs = options.listenTimeoutMs ?? 30_000;
  const timer = setTimeout(
    () => listening.reject(new Error(`no "listening" within ${listenTimeoutMs / 1000} s:\n${text}`)),
    listenTimeoutMs,
  );
  let url: string;
  try {
    url = await listening.promise;
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    if (ownsDataDir) await Deno.remove(dataDir, { recursive: true });
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const adminToken = (await Deno.readTextFile(`${dataDir}/admin.token`)).trim();
  return {
    url,
    dataDir,
    adminToken,
    process: child,
    output: () => text,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const killer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 5000);
      await child.status;
      clearTimeout(killer);
      if (ownsDataDir) await Deno.remove(dataDir, { recursive: true });
    },
  };
}
