// One authenticated SSH connection to a host: commands with their output and exit status, uploads
// checked by SHA-256 on the far side, and tunnels for a host behind this one. Every operation has a
// timeout and is written to the host's log.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import type { Client, ClientChannel } from "ssh2";
import { SshError } from "./errors.ts";
import { shellCommand, shellQuote } from "./shell.ts";

export interface ExecOptions {
  /** Sent to the command's stdin, then closed. */
  stdin?: string | Uint8Array;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Throw a "command" SshError on a non-zero exit (default true). */
  check?: boolean;
  /** Leave it out of the host's log (the command carries a secret). */
  quiet?: boolean;
}

export interface ExecResult {
  command: string;
  code: number;
  /** Set when the command died of a signal. */
  signal?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface UploadOptions {
  /** File mode, default 0644. */
  mode?: number;
  timeoutMs?: number;
  /** The content is a secret: not even its digest goes to the log (a short token's would be guessable). */
  secret?: boolean;
}

const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
const OUTPUT_LIMIT_BYTES = 4 << 20;

export function sha256Hex(content: Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

function tail(text: string, lines = 5): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

export class SshConnection {
  readonly host: string;
  readonly #client: Client;
  readonly #log: (line: string) => void;
  /** The jump host this connection is tunnelled through; closed with it. */
  readonly #via?: SshConnection;
  #closed = false;

  constructor(host: string, client: Client, log: (line: string) => void, via?: SshConnection) {
    this.host = host;
    this.#client = client;
    this.#log = log;
    this.#via = via;
    client.on("close", () => (this.#closed = true));
  }

  get closed(): boolean {
    return this.#closed;
  }

  log(line: string): void {
    this.#log(line);
  }

  /** Runs `command` with the login shell; argv arrays are quoted word by word. */
  exec(command: string | string[], options: ExecOptions = {}): Promise<ExecResult> {
    const text = typeof command === "string" ? command : shellCommand(command);
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const started = performance.now();
    if (!options.quiet) this.#log(`$ ${text}`);
    return new Promise<ExecResult>((resolve, reject) => {
      let channel: ClientChannel | undefined;
      const timer = setTimeout(() => {
        channel?.signal("KILL");
        channel?.close();
        reject(new SshError("timeout", this.host, `command did not finish within ${timeoutMs} ms: ${text}`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(new SshError("protocol", this.host, `cannot run ${text}: ${error.message}`, { cause: error }));
      };
      try {
        this.#client.exec(text, (error, opened) => {
          if (error) return fail(error);
          channel = opened;
          const stdout: Uint8Array[] = [];
          const stderr: Uint8Array[] = [];
          let bytes = 0;
          const collect = (into: Uint8Array[]) => (chunk: Buffer) => {
            if (bytes + chunk.length > OUTPUT_LIMIT_BYTES) return;
            bytes += chunk.length;
            into.push(new Uint8Array(chunk));
          };
          opened.on("data", collect(stdout));
          opened.stderr.on("data", collect(stderr));
          let code: number | null = null;
          let signal: string | undefined;
          opened.on("exit", (exitCode: number | null, exitSignal?: string) => {
            code = exitCode;
            signal = exitSignal ?? undefined;
          });
          opened.on("close", () => {
            clearTimeout(timer);
            const result: ExecResult = {
              command: text,
              code: code ?? (signal ? 128 : 255),
              signal,
              stdout: Buffer.concat(stdout).toString("utf8"),
              stderr: Buffer.concat(stderr).toString("utf8"),
              durationMs: Math.round(performance.now() - started),
            };
            if (!options.quiet) {
              this.#log(`  exit ${result.code}${signal ? ` (${signal})` : ""} in ${result.durationMs} ms`);
              if (result.code !== 0 && result.stderr.trim()) this.#log(`  stderr: ${tail(result.stderr)}`);
            }
            if ((options.check ?? true) && result.code !== 0) {
              const why = tail(result.stderr || result.stdout) || "no output";
              const shown = options.quiet ? "a command" : text;
              reject(new SshError("command", this.host, `${shown} exited ${result.code}: ${why}`));
              return;
            }
            resolve(result);
          });
          if (options.stdin !== undefined) opened.end(options.stdin);
          else opened.end();
        });
      } catch (error) {
        fail(error as Error);
      }
    });
  }

  /** The SHA-256 (hex) of a remote file, or undefined when there is none. */
  async sha256(path: string): Promise<string | undefined> {
    const result = await this.exec(`if [ -f ${shellQuote(path)} ]; then sha256sum < ${shellQuote(path)}; fi`);
    const digest = result.stdout.trim().split(/\s+/)[0];
    return digest === "" || digest === undefined ? undefined : digest;
  }

  /**
   * Puts `content` at `path`: streamed to a temporary name beside it over one command's stdin, its
   * SHA-256 checked by the host, given its mode, then renamed over the old file (a reader never sees
   * half a file). One command, like Ansible's pipelining: no SFTP subsystem needed on the host, and one
   * round trip for sending, checking and placing together.
   */
  async upload(path: string, content: Uint8Array, options: UploadOptions = {}): Promise<void> {
    const mode = options.mode ?? 0o644;
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const temporary = shellQuote(`${path}.ctpf-upload-${crypto.randomUUID().slice(0, 8)}`);
    const expected = sha256Hex(content);
    const digestNote = options.secret ? "secret" : `sha256 ${expected.slice(0, 16)}…`;
    this.#log(`upload ${path} (${content.length} bytes, ${digestNote}, mode ${mode.toString(8)})`);
    // umask 077: nobody else can read the file while it is still arriving (a secret's mode comes last).
    const receiveCheckPlace = `umask 077; cat > ${temporary} || { rm -f ${temporary}; exit 91; }; ` +
      `arrived=$(sha256sum < ${temporary} | cut -d' ' -f1); ` +
      `if [ "$arrived" = ${expected} ]; then chmod ${mode.toString(8)} ${temporary} && ` +
      `mv -f ${temporary} ${shellQuote(path)}; else rm -f ${temporary}; echo "$arrived"; exit 90; fi`;
    if (options.secret) this.#log(`$ (receive ${path}, check its digest and put it in place)`);
    const placed = await this.exec(receiveCheckPlace, {
      stdin: content,
      check: false,
      quiet: options.secret,
      timeoutMs,
    });
    if (placed.code === 90) {
      throw new SshError(
        "transfer",
        this.host,
        `upload of ${path} arrived with sha256 ${placed.stdout.trim() || "(none)"}, sent ${expected}`,
      );
    }
    if (placed.code === 91) {
      // The shell names the temporary file ("bash: line 1: <name>: No such file or directory", dash's
      // "sh: 1: cannot create <name>: Directory nonexistent"); the caller needs only the reason at the end.
      const line = tail(placed.stderr, 1);
      const reason = line.includes(".ctpf-upload-") ? line.slice(line.lastIndexOf(": ") + 2) : line;
      throw new SshError("transfer", this.host, `upload of ${path} failed: ${reason || "no output"}`);
    }
    if (placed.code !== 0) {
      await this.exec(`rm -f ${temporary}`, { check: false, quiet: true }).catch(() => {});
      throw new SshError("command", this.host, `placing ${path} failed: ${placed.stderr.trim()}`);
    }
  }

  /** Makes the directory `path` goes in (mode 0755 for new ones). */
  async mkdirFor(path: string): Promise<void> {
    const directory = path.slice(0, path.lastIndexOf("/")) || "/";
    await this.exec(["mkdir", "-p", directory]);
  }

  /** A TCP stream from this host to address:port (ssh's direct-tcpip), for reaching a host behind it. */
  forward(address: string, port: number, timeoutMs: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new SshError("timeout", this.host, `no tunnel to ${address}:${port} within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      this.#client.forwardOut("127.0.0.1", 0, address, port, (error, stream) => {
        clearTimeout(timer);
        if (error) {
          reject(
            new SshError(
              "unreachable",
              this.host,
              `jump host cannot reach ${address}:${port}: ${error.message}`,
            ),
          );
        } else {
          resolve(stream);
        }
      });
    });
  }

  close(): void {
    this.#client.end();
    this.#via?.close();
  }
}
