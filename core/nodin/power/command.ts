/**
 * Runs a client program for a power driver (virsh, ssh): a bounded time, bounded output, an abort
 * signal, and no shell in between, so no argument is ever interpreted.
 */

const OUTPUT_LIMIT_BYTES = 256 << 10;

export interface CommandOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  stdin?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Killed for taking longer than timeoutMs (or aborted). */
  timedOut: boolean;
}

export async function runCommand(argv: string[], options: CommandOptions): Promise<CommandResult> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
  }).spawn();
  let timedOut = false;
  const kill = () => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Exited already.
    }
  };
  const timer = setTimeout(kill, options.timeoutMs);
  if (options.signal?.aborted) kill();
  else options.signal?.addEventListener("abort", kill, { once: true });
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
      await writer.close().catch(() => {});
    }
    const [stdout, stderr, status] = await Promise.all([
      readBounded(child.stdout),
      readBounded(child.stderr),
      child.status,
    ]);
    return { code: status.code, stdout, stderr, timedOut };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", kill);
  }
}

async function readBounded(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    // Keep reading past the limit so the child never blocks on a full pipe; just stop keeping it.
    if (total + chunk.length > OUTPUT_LIMIT_BYTES) continue;
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}
