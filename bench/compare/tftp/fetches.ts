// The TFTP clients the comparison fetches with, and one timed, checked fetch.
import { createHash } from "node:crypto";

export interface Fetch {
  client: string;
  options: string;
  /** The command fetching `file` from 127.0.0.1:`port` into `out`. */
  args: (port: number, file: string, out: string) => [string, string[]];
}

const curl = (blksize: number): Fetch => ({
  client: "curl",
  options: `blksize ${blksize}`,
  args: (port, file, out) => [
    "curl",
    ["-sS", "--tftp-blksize", String(blksize), "-o", out, `tftp://127.0.0.1:${port}/${file}`],
  ],
});

const atftp = (...options: string[]): Fetch => ({
  client: "atftp",
  options: options.join(" "),
  args: (port, file, out) => [
    "atftp",
    [
      ...options.flatMap((option) => ["--option", option]),
      "-g",
      "-r",
      file,
      "-l",
      out,
      "127.0.0.1",
      String(port),
    ],
  ],
});

const busybox = (blksize: number): Fetch => ({
  // busybox's client, as in initramfs images: lock-step, blksize by -b.
  client: "busybox",
  options: `blksize ${blksize}`,
  args: (port, file, out) => [
    "busybox",
    ["tftp", "-g", "-r", file, "-l", out, "-b", String(blksize), "127.0.0.1", String(port)],
  ],
});

export const fetches: Fetch[] = [
  curl(512),
  curl(1468),
  {
    // tftp-hpa's client asks for no options from the command line: plain RFC 1350, 512-byte blocks.
    client: "tftp",
    options: "blksize 512 (no options)",
    args: (port, file, out) => ["tftp", ["-m", "binary", "127.0.0.1", String(port), "-c", "get", file, out]],
  },
  busybox(512),
  busybox(1468),
  atftp("blksize 512"),
  atftp("blksize 1468"),
  // RFC 7440 windowsize: atftp is the only Debian client that asks for it.
  atftp("blksize 1468", "windowsize 8"),
  atftp("blksize 1468", "windowsize 16"),
];

/** curl fetching from one source address: how the 32 concurrent clients are told apart. */
export function curlFrom(source: string, blksize: number): Fetch["args"] {
  return (port, file, out) => [
    "curl",
    [
      "-sS",
      "--interface",
      source,
      "--tftp-blksize",
      String(blksize),
      "-o",
      out,
      `tftp://127.0.0.1:${port}/${file}`,
    ],
  ];
}

export type FetchOutcome = { ok: true } | { ok: false; why: string };

/** Runs one fetch to its end (or `timeoutMs`). */
export async function runFetch(command: [string, string[]], timeoutMs: number): Promise<FetchOutcome> {
  const [program, args] = command;
  const result = await new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output().catch((error) => ({ success: false, stderr: new TextEncoder().encode(String(error)) }));
  if (result.success) return { ok: true };
  return { ok: false, why: `failed: ${new TextDecoder().decode(result.stderr).trim().slice(0, 80)}` };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Whether `out` holds exactly the file whose SHA-256 is `expected`; removes `out` either way. */
export async function fetchedCorrectly(out: string, expected: string): Promise<boolean> {
  try {
    return sha256(await Deno.readFile(out)) === expected;
  } catch {
    return false;
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}
