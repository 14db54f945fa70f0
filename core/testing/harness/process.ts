import { settlesWithin } from "./wait.ts";

// Running commands for integration tests: every run has a timeout, every background process is
// stopped by PID (its process group, so helpers it forked go too), never by name.

const decoder = new TextDecoder();
const DEFAULT_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT_BYTES = 1 << 20;

export interface RunOptions {
  /** Run inside this network namespace (via `ip netns exec`). */
  netns?: string;
  /** Kill the command (SIGKILL) after this long; default 10 s. */
  timeoutMs?: number;
  /** Throw CommandError on a non-zero exit; default true. */
  check?: boolean;
  stdin?: string;
  env?: Record<string, string>;
}

export interface RunResult {
  command: string[];
  code: number;
  success: boolean;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  readonly result: RunResult;
  constructor(result: RunResult, reason: string) {
    const stderr = result.stderr.trim();
    super(`${reason}: ${result.command.join(" ")}${stderr ? `\n${stderr}` : ""}`);
    this.name = "CommandError";
    this.result = result;
  }
}

// What runs in a test namespace sees private copies of /etc/resolv.conf and /etc/hosts: a DHCP client's
// hook (or anything else) that rewrites them changes these copies, never the host's. `ip netns exec`
// already gives the command a mount namespace of its own whose mounts do not propagate back, so two bind
// mounts there, before the command is exec'd in the shell's place (same PID), are enough.
let privateEtcDir: string | undefined;
function privateEtc(): string {
  if (privateEtcDir === undefined) {
    privateEtcDir = Deno.makeTempDirSync({ prefix: "ctpf-private-etc-" });
    Deno.writeTextFileSync(`${privateEtcDir}/resolv.conf`, "# private to CTPF's test namespaces\n");
    Deno.writeTextFileSync(`${privateEtcDir}/hosts`, "127.0.0.1 localhost\n::1 localhost\n");
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(privateEtcDir!, { recursive: true });
      } catch { /* already gone */ }
    });
  }
  return privateEtcDir;
}

const bindPrivateEtc =
  'mount --bind "$0/resolv.conf" /etc/resolv.conf && mount --bind "$0/hosts" /etc/hosts && exec "$@"';

/** The argv that runs `command` in `netns`, with a private /etc/resolv.conf and /etc/hosts (or as is without one). */
export function inNetns(command: string[], netns?: string): string[] {
  if (command.length === 0) throw new TypeError("empty command");
  if (netns === undefined) return command;
  return ["ip", "netns", "exec", netns, "sh", "-c", bindPrivateEtc, privateEtc(), ...command];
}

/** Runs a command to completion, with a timeout; throws CommandError on failure unless check is false. */
export async function run(command: string[], options: RunOptions = {}): Promise<RunResult> {
  const argv = inNetns(command, options.netns);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited between the timer firing and the kill.
    }
  }, timeoutMs);
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin));
      await writer.close();
    }
    const output = await child.output();
    const result: RunResult = {
      command: argv,
      code: output.code,
      success: output.success,
      signal: output.signal,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
    if (timedOut) throw new CommandError(result, `timed out after ${timeoutMs} ms`);
    if ((options.check ?? true) && !result.success) {
      throw new CommandError(result, `exit ${result.code}${result.signal ? ` (${result.signal})` : ""}`);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

export interface SpawnOptions {
  netns?: string;
  env?: Record<string, string>;
}

/**
 * A process running in the background, in its own process group (so stop() also reaches what it
 * forks). Its stdout and stderr are collected (up to 1 MiB) for failure messages.
 */
export class BackgroundProcess implements AsyncDisposable {
  readonly command: string[];
  readonly pid: number;
  readonly status: Promise<Deno.CommandStatus>;
  #exited = false;
  #groupGone = false;
  #output: Uint8Array[] = [];
  #outputBytes = 0;
  readonly #collectors: Promise<void>[];
  readonly #child: Deno.ChildProcess;

  constructor(command: string[], options: SpawnOptions = {}) {
    this.command = inNetns(command, options.netns);
    this.#child = new Deno.Command(this.command[0], {
      args: this.command.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: options.env,
      detached: true,
    }).spawn();
    this.pid = this.#child.pid;
    this.status = this.#child.status.then((status) => {
      this.#exited = true;
      return status;
    });
    this.#collectors = [this.#collect(this.#child.stdout), this.#collect(this.#child.stderr)];
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** stdout and stderr collected so far, interleaved in arrival order. */
  output(): string {
    const all = new Uint8Array(this.#outputBytes);
    let offset = 0;
    for (const chunk of this.#output) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    return decoder.decode(all);
  }

  /**
   * Sends `signal` to the whole process group led by this process, also after the leader itself
   * exited: what it forked stays in the group, and the kernel does not hand the group's ID to a new
   * process while anyone is left in it. Once a kill finds the group empty it is not signalled again,
   * so a later call cannot reach a stranger given the recycled ID. (The one case left open: the group
   * empties unobserved and the PID space wraps around before the next call.)
   */
  signal(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#groupGone) return;
    try {
      Deno.kill(-this.pid, signal);
    } catch (error) {
      // ESRCH: every member of the group is gone; anything else is a real problem.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#groupGone = true;
    }
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs` if it is still running; resolves with its exit status once
   * it is reaped and its output streams are closed.
   */
  async stop(graceMs = 2_000): Promise<Deno.CommandStatus> {
    this.signal("SIGTERM");
    if (!(await this.#exitsWithin(graceMs))) {
      this.signal("SIGKILL");
      if (!(await this.#exitsWithin(5_000))) {
        throw new Error(`process ${this.pid} (${this.command.join(" ")}) survived SIGKILL`);
      }
    }
    // Whatever the leader forked may outlive it (and ignore SIGTERM) and hold the pipes open: the
    // group kill goes out even when the leader is already gone.
    this.signal("SIGKILL");
    await settlesWithin(Promise.all(this.#collectors), 2_000);
    return await this.status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #exitsWithin(ms: number): Promise<boolean> {
    return this.#exited ? Promise.resolve(true) : settlesWithin(this.status, ms);
  }

  async #collect(stream: ReadableStream<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of stream) {
        if (this.#outputBytes + chunk.length > OUTPUT_LIMIT_BYTES) continue;
        this.#output.push(chunk);
        this.#outputBytes += chunk.length;
      }
    } catch {
      // A stream cut by the process dying has nothing more to give.
    }
  }
}

/** Starts `command` in the background (see BackgroundProcess). */
export function spawnBackground(command: string[], options: SpawnOptions = {}): BackgroundProcess {
  return new BackgroundProcess(command, options);
}

/** Whether a process with this PID exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
