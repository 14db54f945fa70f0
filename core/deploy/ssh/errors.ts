// One error type for everything that goes wrong on a host, with a kind a deployer can act on (retry an
// unreachable host, never retry a changed host key) and a message that names the host.

export type SshErrorKind =
  | "unreachable" // no TCP connection, or the jump host / proxy could not reach it
  | "timeout" // a connect, command or transfer took longer than allowed
  | "auth" // the host refused every key offered
  | "host-key" // the host's key is not the one recorded (never accepted)
  | "protocol" // the SSH session broke in another way
  | "command" // a command ran and failed
  | "transfer" // an upload did not arrive intact
  | "unsupported" // the host lacks what the deployers need (systemd, a known architecture)
  | "skipped"; // not tried: a host it depends on failed (a k3s node joins through the first server)

export class SshError extends Error {
  readonly kind: SshErrorKind;
  readonly host: string;

  constructor(kind: SshErrorKind, host: string, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, options);
    this.name = "SshError";
    this.kind = kind;
    this.host = host;
  }
}

/** The error's own words, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
