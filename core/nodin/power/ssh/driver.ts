/**
 * The SSH power driver, for machines with no BMC at all: the operating system shuts itself down
 * ("soft-off") or reboots ("cycle"), asked over SSH with OpenSSH's client (Debian's openssh-client) and a
 * key; power is seen only as far as the SSH server answers (its banner means "on"; silence or a refusal
 * cannot tell off from unreachable, so it is "unknown" with that evidence). It cannot power a machine on.
 *
 * BMC reference: address "host" or "host:port" (IPv6 in brackets); options: shutdownCommand (default
 * "shutdown -h now"), rebootCommand (default "shutdown -r now"), timeoutMs (default 15000), hostKeyCheck
 * ("off" skips host-key verification: only for labs). Credential: username, extra.privateKey (an OpenSSH
 * private key), extra.hostKey (the server's public host key, "ssh-ed25519 AAAA…"; required unless
 * hostKeyCheck is "off").
 */
import {
  type BmcReference,
  type Credential,
  type DriverFactory,
  type PowerAction,
  type PowerCapabilities,
  type PowerDriver,
  PowerDriverError,
  type PowerObservation,
} from "../driver.ts";
import { runCommand } from "../command.ts";
import { probeSshBanner } from "./banner.ts";

const DEFAULT_TIMEOUT_MS = 15_000;

const SSH_CAPABILITIES: PowerCapabilities = { status: true, actions: ["soft-off", "cycle"], bootDevices: [] };

/** An SSH exit after the command began that means "the machine went away", as a shutdown does. */
const CLOSED_BY_SHUTDOWN =
  /closed by remote host|Connection reset by peer|Broken pipe|Connection to .* closed/i;

export class SshDriver implements PowerDriver {
  readonly driver = "ssh";
  readonly #hostname: string;
  readonly #port: number;
  readonly #username: string;
  readonly #privateKey: string;
  readonly #hostKey?: string;
  readonly #timeoutMs: number;
  readonly #commands: Record<"soft-off" | "cycle", string>;

  constructor(bmc: BmcReference, credential: Credential | undefined) {
    const { hostname, port } = splitAddress(bmc.address);
    this.#hostname = hostname;
    this.#port = port;
    if (credential?.username === undefined || credential.extra?.privateKey === undefined) {
      throw new PowerDriverError("auth", "ssh driver needs a credential with username and extra.privateKey");
    }
    this.#username = credential.username;
    this.#privateKey = credential.extra.privateKey.endsWith("\n")
      ? credential.extra.privateKey
      : `${credential.extra.privateKey}\n`;
    if (bmc.options?.hostKeyCheck !== "off") {
      if (credential.extra.hostKey === undefined) {
        throw new PowerDriverError("auth", "ssh driver needs extra.hostKey (or options.hostKeyCheck off)");
      }
      this.#hostKey = credential.extra.hostKey.trim();
    }
    const timeoutMs = Number(bmc.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#timeoutMs = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
    this.#commands = {
      "soft-off": bmc.options?.shutdownCommand ?? "shutdown -h now",
      cycle: bmc.options?.rebootCommand ?? "shutdown -r now",
    };
  }

  capabilities(): PowerCapabilities {
    return SSH_CAPABILITIES;
  }

  async status(_signal?: AbortSignal): Promise<PowerObservation> {
    const probe = await probeSshBanner(this.#hostname, this.#port, Math.min(this.#timeoutMs, 5_000));
    if (probe.kind === "banner") {
      return {
        state: "on",
        at: new Date(),
        evidence: `SSH banner from ${this.#hostname}:${this.#port}: ${probe.banner.slice(0, 80)}`,
      };
    }
    return {
      state: "unknown",
      at: new Date(),
      evidence: `${probe.kind}: ${probe.detail} (off, or unreachable)`,
    };
  }

  async act(action: PowerAction, signal?: AbortSignal): Promise<void> {
    if (action !== "soft-off" && action !== "cycle") {
      throw new PowerDriverError("unsupported", `ssh driver cannot "${action}": the OS can only stop itself`);
    }
    const dir = await Deno.makeTempDir({ prefix: "nodin-ssh-" });
    try {
      await Deno.writeTextFile(`${dir}/key`, this.#privateKey, { mode: 0o600 });
      const hostOptions = this.#hostKey === undefined
        ? ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
        : ["-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${dir}/known_hosts`];
      if (this.#hostKey !== undefined) {
        const name = this.#port === 22 ? this.#hostname : `[${this.#hostname}]:${this.#port}`;
        await Deno.writeTextFile(`${dir}/known_hosts`, `${name} ${this.#hostKey}\n`, { mode: 0o600 });
      }
      const argv = [
        "ssh",
        // No user or system ssh_config: only what is given here applies.
        "-F",
        "/dev/null",
        "-i",
        `${dir}/key`,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        `ConnectTimeout=${Math.max(1, Math.ceil(this.#timeoutMs / 1000))}`,
        ...hostOptions,
        "-p",
        String(this.#port),
        "-l",
        this.#username,
        "--",
        this.#hostname,
        this.#commands[action],
      ];
      const result = await runCommand(argv, { timeoutMs: this.#timeoutMs, signal, env: { LC_ALL: "C" } })
        .catch((error) => {
          if (error instanceof Deno.errors.NotFound) {
            throw new PowerDriverError("unsupported", "ssh not found (apt-get install openssh-client)");
          }
          throw error;
        });
      const where = `ssh ${this.#username}@${this.#hostname}:${this.#port} ${action}`;
      if (result.timedOut) {
        throw new PowerDriverError("unreachable", `${where}: no end within ${this.#timeoutMs} ms`);
      }
      if (result.code === 0) return;
      const stderr = result.stderr.trim().split("\n").filter((line) => line !== "").join("; ");
      if (result.code === 255) {
        if (
          /Permission denied|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)
        ) {
          throw new PowerDriverError("auth", `${where}: ${stderr}`);
        }
        if (CLOSED_BY_SHUTDOWN.test(stderr)) return;
        throw new PowerDriverError("unreachable", `${where}: ${stderr}`);
      }
      throw new PowerDriverError(
        "refused",
        `${where}: the command exited ${result.code}${stderr ? ` (${stderr})` : ""}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
}

function splitAddress(address: string): { hostname: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  const plain = /^([^:\s]+)(?::(\d+))?$/.exec(address);
  const match = bracketed ?? plain;
  if (match === null || match[1].startsWith("-")) {
    throw new PowerDriverError(
      "unsupported",
      `ssh address ${JSON.stringify(address)}: use host or host:port`,
    );
  }
  const port = match[2] === undefined ? 22 : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PowerDriverError("unsupported", `ssh address ${address}: bad port`);
  }
  return { hostname: match[1], port };
}

export const sshFactory: DriverFactory = {
  driver: "ssh",
  summary: "SSH: the OS shuts down or reboots itself (no BMC); on means its SSH server answers",
  capabilities: SSH_CAPABILITIES,
  create: (bmc, credential) => new SshDriver(bmc, credential),
};
