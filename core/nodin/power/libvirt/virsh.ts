/**
 * One libvirt connection as virsh calls: the URI, a bounded time per call, SASL credentials through a
 * private auth file (never on the command line), and virsh's failures sorted into PowerDriverError kinds.
 */
import { type Credential, PowerDriverError } from "../driver.ts";
import { type CommandResult, runCommand } from "../command.ts";

export interface VirshOptions {
  uri: string;
  timeoutMs: number;
  /** The binary; default "virsh". */
  virsh?: string;
  credential?: Credential;
}

export class Virsh {
  readonly uri: string;
  readonly #options: VirshOptions;

  constructor(options: VirshOptions) {
    this.uri = options.uri;
    this.#options = options;
  }

  /** Runs `virsh -q -c URI ARGS…`; throws PowerDriverError unless it exits 0. */
  async run(args: string[], signal?: AbortSignal): Promise<CommandResult> {
    const result = await this.#invoke(args, signal);
    if (result.timedOut) {
      throw new PowerDriverError(
        "unreachable",
        `virsh -c ${this.uri} ${args[0]}: no answer within ${this.#options.timeoutMs} ms`,
      );
    }
    if (result.code === 0) return result;
    const message = `virsh -c ${this.uri} ${args.join(" ")}: ${oneLine(result.stderr)}`;
    throw new PowerDriverError(errorKind(result.stderr), message);
  }

  /** Runs `virsh define` on `xml`, written to a private temporary file. */
  async define(xml: string, signal?: AbortSignal): Promise<void> {
    const dir = await Deno.makeTempDir({ prefix: "nodin-libvirt-" });
    try {
      const file = `${dir}/domain.xml`;
      await Deno.writeTextFile(file, xml, { mode: 0o600 });
      await this.run(["define", file], signal);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }

  async #invoke(args: string[], signal?: AbortSignal): Promise<CommandResult> {
    const argv = [this.#options.virsh ?? "virsh", "-q", "-c", this.uri, ...args];
    const env: Record<string, string> = { LC_ALL: "C" };
    const credential = this.#options.credential;
    if (credential?.username === undefined) return await this.#spawn(argv, env, signal);
    const dir = await Deno.makeTempDir({ prefix: "nodin-libvirt-auth-" });
    try {
      const authFile = `${dir}/auth.conf`;
      await Deno.writeTextFile(authFile, authConf(credential), { mode: 0o600 });
      return await this.#spawn(argv, { ...env, LIBVIRT_AUTH_FILE: authFile }, signal);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }

  async #spawn(argv: string[], env: Record<string, string>, signal?: AbortSignal): Promise<CommandResult> {
    try {
      return await runCommand(argv, { timeoutMs: this.#options.timeoutMs, signal, env });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new PowerDriverError("unsupported", `${argv[0]} not found (apt-get install libvirt-clients)`);
      }
      throw error;
    }
  }
}

/** libvirt's client auth file (auth.html, "Client configuration") for SASL username and password. */
function authConf(credential: Credential): string {
  const clean = (value: string) => value.replace(/[\r\n]/g, "");
  return [
    "[credentials-nodin]",
    `authname=${clean(credential.username ?? "")}`,
    `password=${clean(credential.password ?? "")}`,
    "",
    "[auth-libvirt-default]",
    "credentials=nodin",
    "",
  ].join("\n");
}

function errorKind(stderr: string): PowerDriverError["kind"] {
  if (/authentication failed|authentication unavailable|access denied|SASL/i.test(stderr)) return "auth";
  if (
    /failed to connect|Failed to connect socket|Cannot recv data|No route to host|Connection refused/i.test(
      stderr,
    )
  ) {
    return "unreachable";
  }
  return "refused";
}

function oneLine(text: string): string {
  return text.trim().split("\n").map((line) => line.trim()).filter((line) => line !== "").join("; ");
}
