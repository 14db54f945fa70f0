// Opening a connection: straight over TCP, through a ProxyCommand, or tunnelled through a jump host
// (itself verified and authenticated like any host). The host key is checked against the known-hosts
// store before any credential is sent; errors are sorted into kinds with the host named.
import type { Buffer } from "node:buffer";
import type { Duplex } from "node:stream";
import ssh2 from "ssh2";
import { credentialsFor } from "./auth.ts";
import { SshConnection } from "./connection.ts";
import { messageOf, SshError } from "./errors.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS, type HostSpec } from "./host.ts";
import { type KnownHosts, knownHostsLabel } from "./known_hosts.ts";
import { expandProxyCommand, proxyCommandSocket } from "./proxy_command.ts";

export interface ConnectOptions {
  knownHosts: KnownHosts;
  /** The host's log (connection steps, host key outcome, commands). */
  log?: (line: string) => void;
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "EPROXYCOMMAND",
]);

export async function connect(spec: HostSpec, options: ConnectOptions): Promise<SshConnection> {
  const log = options.log ?? (() => {});
  const user = spec.user ?? "root";
  const port = spec.port ?? 22;
  const timeoutMs = spec.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const where = `${user}@${spec.address}:${port}`;
  const credentials = await credentialsFor(spec, user);

  let via: SshConnection | undefined;
  let sock: Duplex | undefined;
  let proxyStderr: (() => string) | undefined;
  if (spec.jump) {
    log(`connect ${where} through ${spec.jump.name}`);
    try {
      via = await connect(spec.jump, { ...options, log: (line) => log(`[via ${spec.jump!.name}] ${line}`) });
    } catch (error) {
      // The outcome belongs to this host; the message still names the jump host and what it said.
      const kind = error instanceof SshError ? error.kind : "protocol";
      throw new SshError(kind, spec.name, `through jump host ${messageOf(error)}`, { cause: error });
    }
    try {
      sock = await via.forward(spec.address, port, timeoutMs);
    } catch (error) {
      via.close();
      throw new SshError("unreachable", spec.name, messageOf(error), { cause: error });
    }
  } else if (spec.proxyCommand) {
    const command = expandProxyCommand(spec.proxyCommand, spec.address, port, user);
    log(`connect ${where} through proxy command: ${command}`);
    const proxy = proxyCommandSocket(command);
    sock = proxy.socket;
    proxyStderr = proxy.stderr;
  } else {
    log(`connect ${where}`);
  }

  const client = new ssh2.Client();
  let hostKeyError: unknown;
  const label = knownHostsLabel(spec.address, port);
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      // ssh2's readyTimeout covers the handshake; this one also covers a TCP connect that hangs.
      const timer = setTimeout(
        () =>
          settle(new SshError("timeout", spec.name, `no SSH session with ${where} within ${timeoutMs} ms`)),
        timeoutMs + 1_000,
      );
      client.on("ready", () => settle());
      client.on("error", (error: Error & { level?: string; code?: string }) => {
        settle(classify(spec, where, error, credentials.described, hostKeyError, proxyStderr?.()));
      });
      client.on("close", () => {
        settle(
          hostKeyError ??
            new SshError(
              "unreachable",
              spec.name,
              `${where} closed the connection before the session was ready` +
                (proxyStderr?.().trim() ? `: ${proxyStderr().trim()}` : ""),
            ),
        );
      });
      client.connect({
        host: spec.address,
        port,
        username: user,
        sock,
        readyTimeout: timeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        debug: Deno.env.get("CTPF_SSH_DEBUG") ? (line: string) => log(`ssh2: ${line}`) : undefined,
        authHandler: credentials.methods,
        hostVerifier: (key: Buffer) => {
          try {
            const outcome = options.knownHosts.verify(spec.name, label, new Uint8Array(key));
            log(
              outcome === "recorded"
                ? `host key of ${label} recorded (first contact)`
                : `host key of ${label} known`,
            );
            return true;
          } catch (error) {
            hostKeyError = error;
            log(messageOf(error));
            return false;
          }
        },
      });
    });
  } catch (error) {
    client.end();
    via?.close();
    throw error;
  }
  log(`connected to ${where}`);
  return new SshConnection(spec.name, client, log, via);
}

function classify(
  spec: HostSpec,
  where: string,
  error: Error & { level?: string; code?: string },
  offered: string[],
  hostKeyError: unknown,
  proxyStderr?: string,
): unknown {
  if (hostKeyError) return hostKeyError;
  if (error.level === "client-authentication") {
    return new SshError(
      "auth",
      spec.name,
      `${where} refused every credential offered (${offered.join(", ")})`,
      {
        cause: error,
      },
    );
  }
  if (error.level === "client-timeout") {
    return new SshError("timeout", spec.name, `no SSH handshake with ${where}: ${error.message}`, {
      cause: error,
    });
  }
  // ssh2's words for a stream that ended before the server's banner: nothing SSH answered there.
  const noAnswer = /^Connection lost before handshake/.test(error.message);
  if ((error.code && UNREACHABLE_CODES.has(error.code)) || error.level === "client-socket" || noAnswer) {
    const detail = proxyStderr?.trim() ? `${error.message} (${proxyStderr.trim()})` : error.message;
    return new SshError("unreachable", spec.name, `cannot reach ${where}: ${detail}`, { cause: error });
  }
  return new SshError("protocol", spec.name, `SSH with ${where} failed: ${error.message}`, { cause: error });
}
