import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import { type BootAnswer, type BootAnswerProvider, isPxeClient } from "../net/dhcp/boot_answer.ts";
import { type DhcpRequest, parseDhcpRequest } from "../net/dhcp/request.ts";
import { formatIpv4, type Ipv4Address } from "../net/ipv4addr.ts";
import { formatMac } from "../net/mac.ts";
import type { SqliteStore } from "../store/sqlite.ts";
import { Hub } from "../stream/hub.ts";
import { Allocator } from "./allocator.ts";
import { compileConfig } from "./compile_config.ts";
import type { NeconConfig, NeconConfigInput } from "./config.ts";
import { SqliteNeconConfigRepository } from "./config_store_sqlite.ts";
import { isHeld, type Lease } from "./lease.ts";
import { SqliteLeaseRepository } from "./lease_store_sqlite.ts";
import { LeaseTable } from "./lease_table.ts";
import { buildReply, replyDestination } from "./reply.ts";
import { messageTypeNames } from "./request.ts";
import { type Burst, DhcpSockets } from "./sockets.ts";
import { DhcpServerLogic } from "./server.ts";
import { NeconStats } from "./stats.ts";
import { AddressProbe } from "./probe.ts";

export interface NeconOptions {
  log: Logger;
  metrics: Registry;
  store: SqliteStore;
  bootAnswers?: BootAnswerProvider;
  now?: () => number;
}

const reclaimEveryMs = 10_000;
// ACKs waiting for their flush beyond which the socket loop waits too (memory stays bounded if the disk
// stalls; the kernel's socket buffer then drops, and clients retry).
const maxAwaitingDisk = 8192;
// A burst of at most this many requests after this long without one is a lone client's.
// A burst with at most this many ACKs, this long after the last burst that had any, is a lone client's.
// (Measured from ACK to ACK: a client's REQUEST follows its own OFFER within a millisecond.)
const loneAcks = 2, quietMs = 2;

interface Reply {
  data: Uint8Array;
  address: string;
  port: number;
  type: string;
}

/**
 * necon assembled: configuration (stored, applied live), the lease table, the decision logic and the
 * per-interface sockets. A burst of requests is decided, its lease changes committed once, and only then
 * are the replies sent.
 */
export class Necon {
  readonly leases: LeaseTable;
  readonly leaseEvents = new Hub<Lease>({ historySize: 0, subscriberQueue: 4096 });
  readonly stats: NeconStats;
  configInput: NeconConfigInput = {};
  config: NeconConfig;
  readonly #log: Logger;
  readonly #configs: SqliteNeconConfigRepository;
  readonly #allocator: Allocator;
  readonly #logic: DhcpServerLogic;
  readonly #sockets: DhcpSockets;
  readonly #now: () => number;
  #reclaimTimer: ReturnType<typeof setInterval> | undefined;
  readonly #probe: AddressProbe;
  #awaitingDisk = 0;
  #durable: Promise<void> = Promise.resolve();
  #lastAckBurstAt = -Infinity;

  constructor(private readonly options: NeconOptions) {
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.stats = new NeconStats(options.metrics);
    this.#configs = new SqliteNeconConfigRepository(options.store);
    this.leases = new LeaseTable(new SqliteLeaseRepository(options.store));
    this.leases.onChange((lease) => this.leaseEvents.publish(lease));
    this.#allocator = new Allocator(this.leases);
    this.#probe = new AddressProbe(this.#log);
    this.config = compileConfig({});
    this.#logic = new DhcpServerLogic(this.config, this.leases, this.#allocator);
    this.#sockets = new DhcpSockets(this.#log, (burst) => this.#decideBurst(burst));
    options.metrics.gaugeFunc(
      "ctpf_necon_leases_bound",
      "Bound, unexpired leases.",
      () => this.boundLeaseCount(),
    );
  }

  /** Leases in use: bound and not yet expired. */
  boundLeaseCount(): number {
    const now = this.#now();
    let count = 0;
    for (const lease of this.leases.all()) if (lease.state === "bound" && lease.expiresAt > now) count++;
    return count;
  }

  /** Loads the stored configuration, or `initial` when given (it then replaces the stored one). */
  async start(initial?: NeconConfigInput): Promise<void> {
    await this.apply(initial ?? this.#configs.load() ?? {});
    this.#reclaimTimer = setInterval(() => this.#reclaim(), reclaimEveryMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#reclaimTimer);
    await this.#sockets.close();
    await this.#durable.catch(() => {});
    this.#probe.close();
    this.leases.flush();
  }

  /** Validates the whole configuration and applies it; throws ConfigInvalid and changes nothing if bad. */
  async apply(input: NeconConfigInput): Promise<void> {
    const compiled = compileConfig(input);
    // Stored and served with every subnet's id filled in, so API clients can address subnets by id.
    const normalized = structuredClone(input);
    normalized.subnets?.forEach((subnet, i) => subnet.id = compiled.subnets[i].id);
    this.#configs.save(normalized);
    this.configInput = normalized;
    this.config = compiled;
    this.#logic.setConfig(compiled);
    await this.#sockets.setInterfaces(compiled.interfaces);
    this.#log.info("configuration applied", {
      interfaces: compiled.interfaces.join(",") || "none",
      subnets: compiled.subnets.map((s) => s.id).join(",") || "none",
    });
  }

  releaseLease(ip: Ipv4Address): boolean {
    const lease = this.leases.get(ip);
    const now = this.#now();
    if (!lease || lease.state !== "bound" || lease.expiresAt <= now) return false;
    this.leases.put({ ...lease, state: "released", expiresAt: now, updatedAt: now });
    this.leases.flush();
    return true;
  }

  poolUsage() {
    const now = this.#now();
    return this.config.subnets.map((subnet) => {
      let size = 0, bound = 0, declined = 0;
      for (const pool of subnet.pools) size += pool.end - pool.start + 1;
      for (const lease of this.leases.all()) {
        if (lease.subnetId !== subnet.id || !isHeld(lease, now)) continue;
        // Reserved addresses outside the pools do not use pool space.
        if (!subnet.pools.some((pool) => lease.ip >= pool.start && lease.ip <= pool.end)) continue;
        if (lease.state === "bound") bound++;
        else declined++;
      }
      return {
        subnetId: subnet.id,
        size,
        bound,
        declined,
        offered: this.#allocator.outstandingOffers(subnet, now),
      };
    });
  }

  /** Answers a burst; resolves once every reply, ACKs included, has been sent. */
  async handleBurst(burst: Burst): Promise<void> {
    await (await this.#decideBurst(burst)).sent;
  }

  /**
   * Decides a burst and sends what needs no disk (OFFERs, NAKs, INFORM answers) at once; its ACKs leave
   * in `sent`, once their leases are on disk. The socket loop waits only for the decisions, so the next
   * burst is decided while this one's leases are flushed, and leases written meanwhile share the next
   * flush (group commit).
   */
  async #decideBurst(burst: Burst): Promise<{ sent: Promise<void> }> {
    if (this.#awaitingDisk > maxAwaitingDisk) await this.#durable.catch(() => {});
    const now = this.#now();
    const replies: Reply[] = [];
    const acks: Reply[] = [];
    for (const datagram of burst.datagrams) {
      const parsed = parseDhcpRequest(datagram.data);
      if (!parsed.ok) {
        this.stats.count("dropped", "malformed");
        this.#log.debug("dropped a malformed message", {
          from: datagram.address,
          reason: parsed.error.message,
        });
        continue;
      }
      const { request, message } = parsed.value;
      const typeName = messageTypeNames[request.type] ?? `type-${request.type}`;
      this.stats.count("received", typeName);
      let decision = this.#logic.handle(request, burst.arrival, now);
      // Ping-before-offer: an answered probe quarantines the address and the client is offered another.
      for (let tries = 0; tries < 3 && decision.outcome === "offer" && this.config.pingBeforeOffer; tries++) {
        const offered = decision.reply!.yiaddr;
        if (!(await this.#probe.inUse(offered, burst.arrival.interfaceName))) break;
        this.#quarantine(offered, decision.subnet!.id, now);
        decision = this.#logic.handle(request, burst.arrival, now);
      }
      this.stats.count("outcome", decision.outcome);
      // Per-message records are debug, except refusals; their fields are built only when logged.
      const level =
        decision.outcome === "drop" || decision.outcome === "nak" || decision.outcome === "decline"
          ? "warn"
          : "debug";
      if (this.#log.enabled(level)) {
        const fields = {
          interface: burst.arrival.interfaceName,
          type: typeName,
          mac: formatMac(request.mac),
          xid: request.xid.toString(16),
          subnet: decision.subnet?.id,
          ip: decision.reply?.yiaddr ? formatIpv4(decision.reply.yiaddr) : undefined,
          reason: decision.reason,
        };
        this.#log[level](decision.outcome === "drop" ? "no reply" : decision.outcome, fields);
      }
      if (!decision.reply) continue;
      const boot = decision.reply.yiaddr && this.options.bootAnswers && isPxeClient(request)
        ? await this.#bootAnswer(request, decision.reply.yiaddr, burst.arrival.serverAddress)
        : undefined;
      const data = buildReply(message, request, decision.reply, burst.arrival, boot);
      const to = replyDestination(request, decision.reply);
      (decision.outcome === "ack" ? acks : replies).push({
        data,
        ...to,
        type: messageTypeNames[decision.reply.type],
      });
    }
    // A lone client flushes on the spot: a hand-off to the flushing thread and back would cost it two
    // thread wakeups. Busy streams flush off the event loop, many bursts to one fdatasync.
    const at = performance.now();
    const lone = acks.length > 0 && acks.length <= loneAcks && at - this.#lastAckBurstAt > quietMs;
    if (acks.length > 0) this.#lastAckBurstAt = at;
    const durable = this.leases.flushGrouped(lone);
    this.#durable = durable;
    this.#sendAll(burst, replies);
    if (acks.length === 0) return { sent: Promise.resolve() };
    // The durability point: no ACK leaves before its lease is on disk.
    this.#awaitingDisk += acks.length;
    const sent = durable.then(
      () => this.#sendAll(burst, acks),
      (error) => {
        this.stats.count("dropped", "not-durable", acks.length);
        this.#log.error("leases not written; their ACKs are not sent", { error: String(error) });
      },
    ).finally(() => this.#awaitingDisk -= acks.length);
    return { sent };
  }

  #sendAll(burst: Burst, replies: Reply[]): void {
    for (const reply of replies) {
      burst.send(reply.data, reply.address, reply.port);
      this.stats.count("sent", reply.type);
    }
  }

  async #bootAnswer(
    request: DhcpRequest,
    assigned: Ipv4Address,
    serverAddress: Ipv4Address,
  ): Promise<BootAnswer | undefined> {
    try {
      return await this.options.bootAnswers!(request, assigned, serverAddress);
    } catch (error) {
      // A failing boot provider costs the client its boot answer, never its address.
      this.#log.warn("boot answer failed", { mac: formatMac(request.mac), error: String(error) });
      return undefined;
    }
  }

  #quarantine(ip: Ipv4Address, subnetId: string, now: number): void {
    this.#log.warn("address in use by an unknown host; quarantined", {
      ip: formatIpv4(ip),
      subnet: subnetId,
    });
    this.stats.count("outcome", "probe-in-use");
    this.#allocator.release(ip);
    this.leases.put({
      ip,
      subnetId,
      clientKey: "probe:in-use",
      mac: 0,
      state: "declined",
      expiresAt: now + this.config.declineQuarantineSeconds * 1000,
      updatedAt: now,
    });
  }

  #reclaim(): void {
    const count = this.leases.reclaimExpired(this.#now());
    if (count) {
      this.leases.flush();
      this.#log.info("reclaimed expired leases", { count });
    }
  }
}
