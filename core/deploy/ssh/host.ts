// What the executor needs to reach one host. Every field but the address has a default, so an
// inventory can give a different user, key or port per host, or nothing at all.

export interface HostSpec {
  /** The host's name in logs, results and errors (an inventory name or an ssh_config alias). */
  name: string;
  /** DNS name or IP address to connect to (ssh_config's HostName). */
  address: string;
  port?: number;
  /** Login user; default root. */
  user?: string;
  /** Private key files tried in order (OpenSSH format; PEM too). */
  identityFiles?: string[];
  /** A private key given inline (tried after the files). */
  privateKey?: string;
  /** Passphrase for encrypted keys. */
  passphrase?: string;
  /** ssh-agent socket; default $SSH_AUTH_SOCK when set, false to not use an agent. */
  agent?: string | false;
  /** Reach this host through another one (ssh's ProxyJump), tunnelled with direct-tcpip. */
  jump?: HostSpec;
  /** Reach this host through a command's stdin/stdout (ssh's ProxyCommand; %h, %p and %r are replaced). */
  proxyCommand?: string;
  /** TCP connect plus SSH handshake and authentication; default 20 s. */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/** `[user@]host[:port]` as ssh's ProxyJump and -J take it. */
export function parseDestination(text: string): { user?: string; address: string; port?: number } {
  let rest = text.trim();
  let user: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let port: number | undefined;
  const bracketed = rest.match(/^\[([^\]]+)\](?::(\d+))?$/);
  if (bracketed) {
    rest = bracketed[1];
    port = bracketed[2] ? Number(bracketed[2]) : undefined;
  } else if (/^[^:]+:\d+$/.test(rest)) {
    const colon = rest.lastIndexOf(":");
    port = Number(rest.slice(colon + 1));
    rest = rest.slice(0, colon);
  }
  if (rest === "" || rest.startsWith("-")) throw new Error(`not a destination: ${JSON.stringify(text)}`);
  if (port !== undefined && !(port >= 1 && port <= 65535)) {
    throw new Error(`bad port in ${JSON.stringify(text)}`);
  }
  return { user, address: rest, port };
}
