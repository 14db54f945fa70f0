import type { HostPort } from "../../config/flags.ts";
import { setNoDelayByAddresses } from "../../sys/mod.ts";
import type { Logger } from "../../log/logger.ts";
import type { NetworkTrust } from "../identity/authority.ts";
import { LINK_SERVER_NAME, nodeServerName } from "../identity/x509.ts";
import { handshake, HandshakeError, type LinkIdentity, type Role } from "./handshake.ts";
import { Link } from "./link.ts";
import type { LinkMessage } from "./messages.ts";
import { MAX_RECORD, RecordReader, RecordWriter } from "./stream.ts";

function closeQuietly(connection: Deno.Conn): void {
  try {
    connection.close();
  } catch { /* already closed */ }
}

export interface LinkManagerOptions {
  self: LinkIdentity;
  trust: NetworkTrust;
  revoked: () => ReadonlySet<bigint>;
  /** PEM: the network CA (to check whom we dial), our TLS certificate and its key (to accept). */
  caPem: string;
  certPem: string;
  keyPem: string;
  listen?: { hostname: string; port: number };
  /** Nodes to keep a link to (any existing node is enough to join). */
  peers: HostPort[];
  log: Logger;
  onUp: (link: Link) => void;
  onDown: (link: Link, reason: string) => void;
  onMessage: (link: Link, message: LinkMessage) => void;
  /** See LinkOptions.holdBack. */
  holdBack?: (link: Link) => Promise<void> | undefined;
  /** See LinkOptions.onReadsDrained. */
  onReadsDrained?: (link: Link) => void;
}

const minBackoffMs = 500;
const maxBackoffMs = 10_000;
/** TLS plus gloeth's handshake must finish within this, or the connection is dropped. */
const handshakeTimeoutMs = 10_000;
/** Connections still proving themselves at once; more are closed at once (strangers cannot pile up). */
const maxPendingHandshakes = 64;
/** Records before authentication are small (HELLO carries one certificate). */
const handshakeRecordLimit = 4096;

/**
 * Keeps the links: accepts them on the listen address and dials every configured peer, again with a
 * growing backoff whenever a link ends. Two nodes that dial each other end with one link: the one the
 * lower node id dialled (both ends apply the same rule).
 */
export class LinkManager {
  readonly links = new Map<string, Link>();
  #listener: Deno.TlsListener | undefined;
  #stopped = false;
  readonly #dialers: Promise<void>[] = [];
  readonly #wakeDialers = new Set<() => void>();
  #pendingHandshakes = 0;

  constructor(private readonly options: LinkManagerOptions) {}

  get listenPort(): number | undefined {
    return (this.#listener?.addr as Deno.NetAddr | undefined)?.port;
  }

  start(): void {
    if (this.options.listen) {
      this.#listener = Deno.listenTls({
        hostname: this.options.listen.hostname,
        port: this.options.listen.port,
        cert: this.options.certPem,
        key: this.options.keyPem,
      });
      this.#acceptLoop(this.#listener);
    }
    for (const peer of this.options.peers) this.#dialers.push(this.#dialLoop(peer));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#listener?.close();
    for (const wake of this.#wakeDialers) wake();
    for (const link of [...this.links.values()]) link.close("stopping");
    await Promise.allSettled(this.#dialers);
  }

  async #acceptLoop(listener: Deno.TlsListener): Promise<void> {
    for (;;) {
      let connection: Deno.TlsConn;
      try {
        connection = await listener.accept();
      } catch (error) {
        if (this.#stopped) return;
        // Out of file descriptors, say: pause instead of spinning on the same error.
        this.options.log.warn("accept failed", { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const remote = connection.remoteAddr as Deno.NetAddr;
      if (this.#pendingHandshakes >= maxPendingHandshakes) {
        closeQuietly(connection);
        continue;
      }
      // What the dialler sets on its end (see #connectTls): a TlsConn has no setNoDelay, so the socket
      // is found by its addresses. Without it, the relay's small records waited for ACKs.
      const local = connection.localAddr as Deno.NetAddr;
      try {
        setNoDelayByAddresses(`${local.hostname}:${local.port}`, `${remote.hostname}:${remote.port}`);
      } catch (error) {
        this.options.log.debug("TCP_NODELAY not set", { error: (error as Error).message });
      }
      this.#establish(connection, "acceptor", `${remote.hostname}:${remote.port}`).catch((error) => {
        const remoteText = `${remote.hostname}:${remote.port}`;
        if (error instanceof HandshakeError && error.probed) {
          this.options.log.debug("answered a probe", { remote: remoteText });
          return;
        }
        this.options.log.info("link refused", { remote: remoteText, error: error.message });
      });
    }
  }

  async #dialLoop({ hostname, port }: HostPort): Promise<void> {
    // Named like an accepted link's remote end.
    const peer = `${hostname}:${port}`;
    let backoff = minBackoffMs;
    // Which node answers at this address: learned by a probe, then required by name in TLS.
    let expected: string | undefined;
    while (!this.#stopped) {
      try {
        expected ??= await this.#probe(hostname, port);
        const tls = await this.#connectTls(hostname, port, nodeServerName(expected));
        const link = await this.#establish(tls, "dialer", peer, expected);
        backoff = minBackoffMs;
        await new Promise<void>((resolve) => {
          const check = setInterval(() => {
            if (link.closed || this.#stopped) {
              clearInterval(check);
              resolve();
            }
          }, 100);
        });
      } catch (error) {
        expected = undefined; // perhaps another node at this address now: ask again next time
        this.options.log.debug("dial failed", { peer, error: (error as Error).message });
      }
      if (this.#stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, backoff);
        const wakeDialers = this.#wakeDialers;
        wakeDialers.add(done);
        function done() {
          clearTimeout(timer);
          wakeDialers.delete(done);
          resolve();
        }
      });
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  }

  /** TCP, then TLS verified under the network CA for `serverName`, within the handshake deadline. */
  async #connectTls(hostname: string, port: number, serverName: string): Promise<Deno.TlsConn> {
    const tcp = await Deno.connect({ hostname, port });
    // Nagle's algorithm held small records back for the peer's delayed ACK: 20–35 ms ping spikes, and
    // half the throughput of a link that carries TLS records of every size.
    tcp.setNoDelay(true);
    // A peer that stalls inside TLS must not hold this dialler forever.
    const stalled = setTimeout(() => closeQuietly(tcp), handshakeTimeoutMs);
    try {
      const tls = await Deno.startTls(tcp, { hostname: serverName, caCerts: [this.options.caPem] });
      await tls.handshake();
      return tls;
    } catch (error) {
      closeQuietly(tcp);
      throw error;
    } finally {
      clearTimeout(stalled);
    }
  }

  /** Which admitted node answers at an address: TLS under the shared name, HELLOs, then hang up. */
  async #probe(hostname: string, port: number): Promise<string> {
    const tls = await this.#connectTls(hostname, port, LINK_SERVER_NAME);
    const reader = new RecordReader(tls, handshakeRecordLimit);
    const writer = new RecordWriter(tls, undefined, () => closeQuietly(tls));
    try {
      const peer = await handshake(reader, writer, {
        role: "dialer",
        self: this.options.self,
        trust: this.options.trust,
        revoked: this.options.revoked,
        timeoutMs: handshakeTimeoutMs,
        probe: true,
      });
      return peer.nodeId;
    } finally {
      closeQuietly(tls);
    }
  }

  async #establish(connection: Deno.Conn, role: Role, remote: string, expectedPeer?: string): Promise<Link> {
    // Set once the link exists: a write failure before that only needs the connection closed.
    const established: { link?: Link } = {};
    const reader = new RecordReader(connection, handshakeRecordLimit);
    const writer = new RecordWriter(connection, undefined, (error) => {
      if (established.link) established.link.close(`write failed: ${error.message}`);
      else closeQuietly(connection);
    });
    let peer;
    this.#pendingHandshakes++;
    // Closing the connection makes whatever step is pending (TLS or ours) fail: one deadline for both.
    const deadline = setTimeout(() => closeQuietly(connection), handshakeTimeoutMs);
    try {
      if ("handshake" in connection) await (connection as Deno.TlsConn).handshake();
      peer = await handshake(reader, writer, {
        role,
        self: this.options.self,
        trust: this.options.trust,
        revoked: this.options.revoked,
        timeoutMs: handshakeTimeoutMs,
        expectedPeer,
      });
      // A revocation adopted while this handshake was in flight applies to it too.
      if (this.options.revoked().has(peer.certificate.serial)) {
        throw new Error("certificate revoked meanwhile");
      }
    } catch (error) {
      closeQuietly(connection);
      throw error;
    } finally {
      clearTimeout(deadline);
      this.#pendingHandshakes--;
    }
    reader.maxRecord = MAX_RECORD;
    const existing = this.links.get(peer.nodeId);
    if (existing && !existing.closed) {
      // Keep the link the lower id dialled; close the other, on both ends alike.
      const dialerOf = (link: { role: Role }, nodeId: string) =>
        link.role === "dialer" ? this.options.self.nodeId : nodeId;
      const keepNew = dialerOf({ role }, peer.nodeId) < dialerOf(existing, peer.nodeId);
      if (!keepNew) {
        connection.close();
        return existing;
      }
      existing.close("replaced by a link dialled by the lower node id");
    }
    const link = established.link = new Link(peer, role, remote, connection, reader, writer, {
      onMessage: this.options.onMessage,
      holdBack: this.options.holdBack,
      onReadsDrained: this.options.onReadsDrained,
      onClose: (closed, reason) => {
        if (this.links.get(closed.peer.nodeId) === closed) this.links.delete(closed.peer.nodeId);
        this.options.onDown(closed, reason);
      },
    });
    this.links.set(peer.nodeId, link);
    link.start();
    this.options.onUp(link);
    return link;
  }
}
