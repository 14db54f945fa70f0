import type { HostPort } from "../../config/flags.ts";
import { toHexString } from "../../net/bytes.ts";
import type { Logger } from "../../log/logger.ts";
import { type NetworkTrust, verifyRevocations } from "../identity/authority.ts";
import { sign, verify } from "../identity/keys.ts";
import type { LinkIdentity } from "../links/handshake.ts";
import type { Link } from "../links/link.ts";
import { LinkManager } from "../links/link_manager.ts";
import { type LinkMessage, MessageType } from "../links/messages.ts";
import { decodeSigned, encodeSigned } from "../routing/signed_announcement.ts";
import { LinkStateDatabase } from "../routing/link_state_db.ts";
import { linkCost } from "../routing/link_cost.ts";
import { type Route, routeTable } from "../routing/shortest_paths.ts";
import { decodeAnnouncement, MAX_NEIGHBORS } from "../routing/announcement.ts";
import { NodeDirectory } from "./directory.ts";
import { SessionRotation } from "./session_rotation.ts";
import type { FramePort } from "./frame_port.ts";
import type { NodeId } from "../crypto/node_id.ts";
import { Inbound, WasmFramePath } from "../wasm/frame_path.ts";

export interface GloethNodeOptions {
  identity: LinkIdentity;
  trust: NetworkTrust;
  caPem: string;
  certPem: string;
  keyPem: string;
  listen?: { hostname: string; port: number };
  peers: HostPort[];
  /** Where frames enter and leave the mesh: the TAP device (or a test's stand-in). */
  port: FramePort;
  log: Logger;
  /** The network's signed revocation list this node starts with, if any (newer ones arrive by flooding). */
  revocations?: Uint8Array;
  /**
   * The time to stamp a new session key with: later than any earlier key's, this run's or a previous
   * run's, even if the clock went back (the caller persists it). Default: now, kept increasing.
   */
  sessionTime?: () => Promise<number>;
  /**
   * A new session key this often, so keys that leak later cannot open frames from before (forward
   * secrecy); default one hour, like tinc's KeyExpire.
   */
  rekeyMs?: number;
  /** How long peers get to receive a new key record before frames are sealed with the new keys. */
  rekeyGraceMs?: number;
  /** Re-announce this often even when nothing changed; announcements older than 3× are forgotten. */
  refreshMs?: number;
}

/** A frame crosses at most this many links: a loop while routes settle cannot keep it forever. */
const HOP_LIMIT = 16;
/**
 * A link with more than this queued holds back the port (and relayed links) until it is down to the
 * resume mark; ~2 ms at a gigabit, so queueing adds little latency. A stalled link holds them back for
 * at most the wait (its own frames are then dropped when its queue is full).
 */
const BACKLOG_PAUSE_BYTES = 256 * 1024;
const BACKLOG_RESUME_BYTES = 64 * 1024;
const BACKLOG_MAX_WAIT_MS = 20;

export interface NodeCounters {
  framesFromPort: number;
  framesToPort: number;
  framesForwarded: number;
  noRoute: number;
  noKeys: number;
  hopLimit: number;
  /**
   * Records for this node refused end to end (damaged, forged, replayed, from an unknown node, or with
   * offload requests no TAP makes).
   */
  undecryptable: number;
  queueFull: number;
}

/**
 * One gloeth node: links to its neighbours, the link-state view of the whole mesh, everyone's session
 * keys, and the frame path between its port (TAP) and the mesh. Frames are sealed for their destination
 * node only; the nodes in between see the routing header and pass them on.
 */
export class GloethNode {
  /** MAC table, next hops, keys, sealing and opening: the per-frame work, in WebAssembly. */
  readonly frames: WasmFramePath;
  #framesFromPort = 0;
  #framesToPort = 0;
  #framesForwarded = 0;
  #queueFull = 0;
  /** A frame went to the port since the port was last read (see #afterDelivering). */
  #deliveredSinceRead = false;
  /** Next hops whose link went away before the routes caught up. */
  #linkGone = 0;
  routes = new Map<string, Route>();
  #links!: LinkManager;
  #database!: LinkStateDatabase;
  #directory!: NodeDirectory;
  #ownKeysRecord!: Uint8Array;
  #verified = new WeakSet<Uint8Array>();
  #originating: Promise<void> | undefined;
  #originateAgain = false;
  #timers: ReturnType<typeof setInterval>[] = [];
  #stopped = false;
  #revoked = new Set<bigint>();
  #revocations: { bytes: Uint8Array; issuedAt: number } | undefined;
  #rotation!: SessionRotation;

  constructor(private readonly options: GloethNodeOptions) {
    this.frames = new WasmFramePath({
      myId: options.identity.nodeId,
      portHeader: options.port.headerSize,
      recordType: MessageType.frame,
      hopLimit: HOP_LIMIT,
    });
  }

  get counters(): NodeCounters {
    const refused = this.frames.counters();
    return {
      framesFromPort: this.#framesFromPort,
      framesToPort: this.#framesToPort,
      framesForwarded: this.#framesForwarded,
      noRoute: refused.noRoute + this.#linkGone,
      noKeys: refused.noKeys + refused.counterExhausted,
      hopLimit: refused.hopLimit,
      undecryptable: refused.badLength + refused.badHeader + refused.auth + refused.replay +
        refused.unknownSource + refused.badOffload,
      queueFull: this.#queueFull,
    };
  }

  get nodeId(): string {
    return this.options.identity.nodeId;
  }

  get networkId(): Uint8Array {
    return this.options.trust.networkId;
  }

  get links(): Map<string, Link> {
    return this.#links.links;
  }

  get directory(): NodeDirectory {
    return this.#directory;
  }

  get listenPort(): number | undefined {
    return this.#links.listenPort;
  }

  async start(): Promise<void> {
    const { identity, trust } = this.options;
    if (this.options.revocations) await this.#takeRevocations(this.options.revocations);
    const revoked = () => this.#revoked;
    this.#rotation = new SessionRotation({
      identity,
      frames: this.frames,
      log: this.options.log,
      graceMs: this.options.rekeyGraceMs ?? 10_000,
      sessionTime: this.options.sessionTime,
    });
    const { session, record } = await this.#rotation.newSession();
    this.#ownKeysRecord = record;
    this.#directory = new NodeDirectory(
      identity.nodeId,
      session,
      trust,
      toHexString(trust.networkId),
      revoked,
      this.#rotation.channelKeys,
    );
    const refresh = this.options.refreshMs ?? 10_000;
    this.#database = new LinkStateDatabase(
      identity.nodeId,
      (_origin, _body, signature) => this.#verified.has(signature),
      () => Date.now(),
      3 * refresh,
    );
    this.#links = new LinkManager({
      self: identity,
      trust,
      revoked,
      caPem: this.options.caPem,
      certPem: this.options.certPem,
      keyPem: this.options.keyPem,
      listen: this.options.listen,
      peers: this.options.peers,
      log: this.options.log,
      onUp: (link) => this.#linkUp(link),
      onDown: (link, reason) => this.#linkDown(link, reason),
      onMessage: (link, message) => this.#onMessage(link, message),
      holdBack: this.#holdBack,
      onReadsDrained: this.#afterDelivering,
    });
    this.#links.start();
    await this.#originate();
    this.#timers.push(setInterval(() => this.#originate(), refresh));
    this.#timers.push(setInterval(() => {
      if (this.#database.expire().length > 0) this.#recomputeRoutes();
      this.frames.expireMacs(Date.now());
    }, 1000));
    this.#timers.push(setInterval(() => this.#rekey(), this.options.rekeyMs ?? 3_600_000));
    // Certificates expire while links are up: admission is checked again, not only at the handshake.
    this.#timers.push(setInterval(() => this.dropExpired(), 60_000));
    this.#portLoop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#rotation.stop();
    await this.#links.stop();
    this.options.port.close();
  }

  /** A new session key; its record replaces ours and goes to every node. */
  #rekey(): Promise<void> {
    return this.#rotation.rotate(this.#directory, (record) => {
      this.#ownKeysRecord = record;
      this.#flood("keys", record);
    });
  }

  #linkUp(link: Link): void {
    this.options.log.info("link up", {
      peer: link.peer.nodeId,
      name: link.peer.certificate.name,
      remote: link.remote,
    });
    // Bring the neighbour up to date at once: every key record and announcement we hold.
    link.send("keys", this.#ownKeysRecord);
    for (const node of this.#directory.all()) link.send("keys", node.record);
    for (const signed of this.#database.all()) link.send("announcement", encodeSigned(signed));
    if (this.#revocations) link.send("revocations", this.#revocations.bytes);
    this.#originate();
  }

  #linkDown(link: Link, reason: string): void {
    this.options.log.info("link down", { peer: link.peer.nodeId, reason });
    if (!this.#stopped) this.#originate();
  }

  /** Closes links to, and forgets, nodes whose certificates have expired by `now`. */
  dropExpired(now = Date.now()): void {
    for (const link of [...this.#links.links.values()]) {
      if (now > link.peer.certificate.notAfter) link.close("certificate expired");
    }
    this.#directory.dropRevoked(now);
  }

  /** Adopts a newer signed revocation list: revoked nodes lose their links and keys at once. */
  async #takeRevocations(bytes: Uint8Array): Promise<boolean> {
    const checked = await verifyRevocations(bytes, this.options.trust);
    if (!checked.ok || (this.#revocations && this.#revocations.issuedAt >= checked.list.issuedAt)) {
      return false;
    }
    this.#revocations = { bytes, issuedAt: checked.list.issuedAt };
    this.#revoked = new Set(checked.list.serials);
    if (!this.#links) return true;
    for (const link of [...this.#links.links.values()]) {
      if (this.#revoked.has(link.peer.certificate.serial)) link.close("certificate revoked");
    }
    this.#directory.dropRevoked();
    this.options.log.info("revocations adopted", { revoked: checked.list.serials.length });
    return true;
  }

  #flood(type: "keys" | "announcement" | "revocations", body: Uint8Array, except?: Link): void {
    for (const link of this.#links.links.values()) if (link !== except) link.send(type, body);
  }

  /** Announces our live links (cost = measured round trip); one at a time, a late request runs after. */
  #originate(): Promise<void> {
    if (this.#originating) {
      this.#originateAgain = true;
      return this.#originating;
    }
    this.#originating = (async () => {
      do {
        this.#originateAgain = false;
        const neighbors = [...this.#links.links.values()].filter((link) => !link.closed)
          .map((link) => ({ id: link.peer.nodeId, cost: linkCost(link.rttMs) }))
          .slice(0, MAX_NEIGHBORS); // what one announcement can carry
        const signed = await this.#database.originateAsync(
          neighbors,
          (body) => sign(this.options.identity.keys, body),
        );
        this.#flood("announcement", encodeSigned(signed));
        this.#recomputeRoutes();
      } while (this.#originateAgain && !this.#stopped);
    })().catch((error) => this.options.log.warn("announcement not originated", { error: String(error) }))
      .finally(() => this.#originating = undefined);
    return this.#originating;
  }

  #recomputeRoutes(): void {
    this.routes = routeTable(this.#database.graph(), this.nodeId);
    this.frames.setRoutes(new Map([...this.routes].map(([nodeId, route]) => [nodeId, route.nextHop])));
    for (const node of this.#directory.all()) {
      if (!this.routes.has(node.nodeId)) this.frames.forgetMacsOf(node.nodeId);
    }
  }

  #onMessage(link: Link, message: LinkMessage): void {
    switch (message.type) {
      case "frame":
        return this.#onFrame(message.record);
      case "keys":
        this.#directory.offer(message.body).then(
          (result) => result === "new" && this.#flood("keys", message.body, link),
          (error) => this.options.log.warn("keys record not taken", { error: String(error) }),
        );
        return;
      case "announcement":
        this.#onAnnouncement(link, message.body).catch((error) =>
          this.options.log.warn("announcement not taken", { error: String(error) })
        );
        return;
      case "revocations":
        this.#takeRevocations(message.body).then(
          (taken) => taken && this.#flood("revocations", message.body, link),
          (error) => this.options.log.warn("revocations not taken", { error: String(error) }),
        );
        return;
      default:
        return;
    }
  }

  async #onAnnouncement(link: Link, bytes: Uint8Array): Promise<void> {
    const signed = decodeSigned(bytes);
    if (!signed.ok || !this.#database.isFresh(signed.value)) return;
    const announcement = decodeAnnouncement(signed.value.body);
    if (!announcement.ok) return;
    const origin = announcement.value.origin;
    const key = origin === this.nodeId
      ? this.options.identity.keys.publicKey
      : this.#directory.get(origin)?.signKey;
    // An origin whose keys have not arrived yet: its next refresh will come after them.
    if (!key || !await verify(key, signed.value.body, signed.value.signature)) return;
    this.#verified.add(signed.value.signature);
    const result = this.#database.offer(signed.value);
    if (result === "new") {
      this.#flood("announcement", bytes, link);
      this.#recomputeRoutes();
    }
    if (this.#database.needsOriginate) this.#originate();
  }

  /** A frame record: type byte, hop limit, sealed packet. Relays change the hop byte in place and pass it on. */
  #onFrame(record: Uint8Array): void {
    switch (this.frames.receive(record, Date.now())) {
      case Inbound.forward: {
        const link = this.#linkTo(this.frames.forwardTo);
        if (!link) return;
        record[1] = this.frames.forwardHops;
        if (link.sendRecord(record)) this.#framesForwarded++;
        else this.#queueFull++;
        return;
      }
      case Inbound.delivered:
        // A view into the frame path's buffer: the port writes it synchronously, before the next frame.
        this.options.port.write(this.frames.deliveredFrame);
        this.#framesToPort++;
        this.#deliveredSinceRead = true;
        return;
      default:
        return; // counted by the frame path
    }
  }

  /**
   * After a run of records that delivered frames: the kernel answers some frames while they are being
   * written to the TAP (a ping's echo reply, a TCP ACK), so the answer is often queued already. Reading
   * it now saves the wakeup the port would otherwise wait for (a thread hand-off, tens of µs or more
   * on a busy host). Safe beside the port loop: it only holds the input buffer inside sync calls.
   */
  readonly #afterDelivering = (): void => {
    if (!this.#deliveredSinceRead || this.#stopped) return;
    this.#deliveredSinceRead = false;
    for (const link of this.#links.links.values()) if (link.backlog > BACKLOG_PAUSE_BYTES) return;
    try {
      this.options.port.readQueued?.(this.frames.portInput, this.#sendFromPort);
    } catch {
      // The port loop reports read errors; here the frames simply wait for it.
    }
  };

  #linkTo(nodeId: NodeId | undefined): Link | undefined {
    const link = nodeId === undefined ? undefined : this.#links.links.get(nodeId);
    if (!link) this.#linkGone++;
    return link;
  }

  /** Seals the frame the port just read into the frame path's input for the mesh. */
  #sendFromPort = (length: number): void => {
    this.#framesFromPort++;
    this.frames.sendStaged(length, Date.now(), this.#emit);
  };

  readonly #emit = (nextHop: NodeId, record: Uint8Array): void => {
    const link = this.#linkTo(nextHop);
    if (link && !link.sendRecord(record)) this.#queueFull++;
  };

  /**
   * Waits (a bounded time) while a link has more than a few milliseconds' worth of records queued, so
   * a sender faster than the links is held back at its TAP, where the kernel drops what does not fit
   * before any sealing is spent on it, and queues stay short (latency for everyone else's frames).
   */
  async #linksCaughtUp(except?: Link): Promise<void> {
    for (const link of this.#links.links.values()) {
      if (link === except || link.backlog <= BACKLOG_PAUSE_BYTES) continue;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        link.backlogBelow(BACKLOG_RESUME_BYTES),
        new Promise<void>((resolve) => timer = setTimeout(resolve, BACKLOG_MAX_WAIT_MS)),
      ]);
      clearTimeout(timer);
    }
  }

  /**
   * A link's reading waits while another link is backed up (not its own: two nodes each waiting for
   * the other to read would stall until the bounded wait ran out).
   */
  readonly #holdBack = (from: Link): Promise<void> | undefined => {
    for (const link of this.#links.links.values()) {
      if (link !== from && link.backlog > BACKLOG_PAUSE_BYTES) return this.#linksCaughtUp(from);
    }
    return undefined;
  };

  async #portLoop(): Promise<void> {
    const input = this.frames.portInput;
    while (!this.#stopped) {
      try {
        await this.#linksCaughtUp();
        await this.options.port.readInto(input, this.#sendFromPort);
      } catch (error) {
        if (this.#stopped) return;
        this.options.log.warn("port read failed", { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
