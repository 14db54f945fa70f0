// Starting the real servers of the live tests: each runs in the foreground as a child of the test, and
// is stopped through its own PID (SIGTERM, then SIGKILL if it lingers), never by name.

/** The absolute path of an installed program, or undefined. */
export async function which(program: string): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/sbin"])) {
    const path = `${dir}/${program}`;
    try {
      const info = await Deno.stat(path);
      if (info.isFile && (info.mode ?? 0) & 0o111) return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

export interface Server extends AsyncDisposable {
  readonly pid: number;
  /** What the server wrote to stderr so far, for failure messages. */
  stderr(): string;
}

/** Runs `program` with `args`, keeping the first 64 KiB of its stderr. */
export function startServer(program: string, args: string[]): Server {
  const child = new Deno.Command(program, { args, stdin: "null", stdout: "null", stderr: "piped" }).spawn();
  let stderr = "";
  const drained = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (stderr = (stderr + chunk).slice(0, 65536)) }),
  );
  const stop = async () => {
    try {
      Deno.kill(child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    const killer = setTimeout(() => {
      try {
        Deno.kill(child.pid, "SIGKILL");
      } catch {
        // Exited in the meantime.
      }
    }, 3000);
    await child.status;
    clearTimeout(killer);
    await drained;
  };
  return {
    pid: child.pid,
    stderr: () => stderr,
    [Symbol.asyncDispose]: stop,
  };
}

/** A random address in 127.0.0.0/8 (Linux routes all of it to lo), so parallel runs do not collide. */
export function randomLoopbackAddress(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `127.${a}.${b}.${2 + (c % 252)}`;
}
