// What a deployer must know about a host before choosing an artifact or writing a unit: its machine
// architecture in the release's terms and whether systemd runs it. One round trip for both.
import type { SshConnection } from "./connection.ts";
import { SshError } from "./errors.ts";

export type Architecture = "x86_64" | "aarch64";

export interface HostFacts {
  arch: Architecture;
  /** `uname -m` as the host said it. */
  machine: string;
  /** systemd is PID 1 (sd_booted(): /run/systemd/system exists). */
  systemd: boolean;
  /** PID 1's command name, for the message when it is not systemd. */
  init: string;
}

const ARCHITECTURES: Record<string, Architecture> = {
  x86_64: "x86_64",
  amd64: "x86_64",
  aarch64: "aarch64",
  arm64: "aarch64",
};

export function architectureOf(machine: string): Architecture | undefined {
  return ARCHITECTURES[machine.trim()];
}

const PROBE =
  "uname -m; if [ -d /run/systemd/system ]; then echo systemd; else echo none; fi; cat /proc/1/comm";

export async function gatherFacts(connection: SshConnection): Promise<HostFacts> {
  const { stdout } = await connection.exec(PROBE, { timeoutMs: 15_000 });
  const [machine = "", booted = "", init = ""] = stdout.trim().split("\n").map((line) => line.trim());
  const arch = architectureOf(machine);
  if (!arch) {
    throw new SshError(
      "unsupported",
      connection.host,
      `architecture ${JSON.stringify(machine)} is not x86_64 or aarch64`,
    );
  }
  return { arch, machine, systemd: booted === "systemd", init: init || "unknown" };
}

export function requireSystemd(host: string, facts: HostFacts): void {
  if (!facts.systemd) {
    throw new SshError(
      "unsupported",
      host,
      `systemd is not running on this host (PID 1 is ${facts.init}, no /run/systemd/system); ` +
        "the deployers install systemd units and need a host booted with systemd",
    );
  }
}
