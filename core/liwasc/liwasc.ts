import type { Logger } from "../log/logger.ts";
import { formatCidr, formatIpv4, parseIpv4 } from "../net/ipv4addr.ts";
import { formatMac, type MacAddress, macFromBytes } from "../net/mac.ts";
import { parseSecureOnPassword } from "../net/wol.ts";
import { Hub } from "../stream/hub.ts";
import { interfaceExists, macAddress } from "../sys/mod.ts";
import { arpScan } from "./arp_scan.ts";
import { LiwascInputError } from "./input_error.ts";
import type {
  LiwascRepository,
  LiwascSettings,
  NodeRecord,
  PortRecord,
  ScanRecord,
  WakeRecord,
} from "./model.ts";
import { NodeBook } from "./node_book.ts";
import { runPortScan } from "./port_scan_job.ts";
import { reverseLookup } from "./reverse_dns.ts";
import { subnetsOf, TargetError, targetsOf } from "./targets.ts";
import { wake } from "./wake.ts";

export interface LiwascOptions {
  log: Logger;
  repository: LiwascRepository;
  /** The interfaces scans and wakes may use: only these, as named by the operator. */
  interfaces: string[];
}

export interface StartNodeScanInput {
  interface?: string;
  ips?: string[];
  startedBy: string;
}

export interface StartPortScanInput {
  ip: string;
  tcpPorts?: string;
  udpPorts?: string;
  timeoutMs?: number;
  tcpMethod?: "connect" | "syn";
  startedBy: string;
}

export interface StartWakeInput {
  mac: MacAddress;
  interface?: string;
  ip?: string;
  password?: string;
  timeoutSeconds?: number;
}

const progressEveryMs = 250;
const dayMs = 86_400_000;

/**
 * liwasc's running state: scans and wakes in the background (each cancellable), the node book, the
 * schedule and retention, and the live feeds the API streams from.
 */
export class Liwasc {
  readonly scans = new Hub<ScanRecord>({ historySize: 0, subscriberQueue: 1000 });
  readonly nodes = new Hub<NodeRecord>({ historySize: 0, subscriberQueue: 10_000 });
  readonly ports = new Hub<PortRecord>({ historySize: 0, subscriberQueue: 100_000 });
  readonly wakes = new Hub<WakeRecord>({ historySize: 0, subscriberQueue: 1000 });
  readonly #book: NodeBook;
  readonly #running = new Map<string, { record: ScanRecord | WakeRecord; controller: AbortController }>();
  readonly #log: Logger;
  readonly #repository: LiwascRepository;
  readonly #interfaces: string[];
  #settings: LiwascSettings;
  #schedule: ReturnType<typeof setInterval> | undefined;
  #retention: ReturnType<typeof setInterval> | undefined;

  constructor(options: LiwascOptions) {
    this.#log = options.log;
    this.#repository = options.repository;
    this.#interfaces = options.interfaces;
    this.#settings = options.repository.loadSettings();
    this.#book = new NodeBook(options.repository.loadNodes());
  }

  get settings(): LiwascSettings {
    return { ...this.#settings };
  }

  get interfaces(): string[] {
    return [...this.#interfaces];
  }

  start(): void {
    this.#applySchedule();
    this.#prune();
    this.#retention = setInterval(() => this.#prune(), 3_600_000);
  }

  stop(): void {
    clearInterval(this.#schedule);
    clearInterval(this.#retention);
    for (const { controller } of this.#running.values()) controller.abort();
  }

  setSettings(next: LiwascSettings): LiwascSettings {
    if (!Number.isInteger(next.arpRate) || next.arpRate < 1 || next.arpRate > 100_000) {
      throw new LiwascInputError("settings.arp_rate", "from 1 to 100000 requests per second");
    }
    this.#settings = { ...next, retentionDays: next.retentionDays || 30 };
    this.#repository.saveSettings(this.#settings);
    this.#applySchedule();
    return this.settings;
  }

  scannerInterfaces(): { name: string; mac: string; subnets: string[] }[] {
    return this.#interfaces.filter(interfaceExists).map((name) => {
      let subnets: string[] = [];
      try {
        subnets = subnetsOf(name).map(formatCidr);
      } catch { /* no address yet */ }
      return { name, mac: formatMac(macFromBytes(macAddress(name))), subnets };
    });
  }

  listNodes(): NodeRecord[] {
    return this.#book.all();
  }

  node(mac: MacAddress): NodeRecord | undefined {
    return this.#book.get(mac);
  }

  openPorts(ip: string): PortRecord[] {
    return this.#repository.loadPorts(ip).filter((port) => port.state === "open");
  }

  /** The latest result for every scanned port (of one address, or all). */
  knownPorts(ip?: string): PortRecord[] {
    return this.#repository.loadPorts(ip);
  }

  listScans(kind: ScanRecord["kind"] | undefined, limit: number): ScanRecord[] {
    return this.#repository.listScans(kind, limit);
  }

  runningScans(): ScanRecord[] {
    return [...this.#running.values()].map((entry) => entry.record).filter((r): r is ScanRecord =>
      "kind" in r
    );
  }

  cancel(id: string): ScanRecord | WakeRecord {
    const running = this.#running.get(id);
    if (running) {
      running.controller.abort();
      return running.record;
    }
    const past = this.#repository.listScans(undefined, 10_000).find((scan) => scan.id === id);
    if (!past) throw new LiwascInputError("id", `no scan or wake ${id}`, "not-found");
    return past;
  }

  #chooseInterfaces(name: string | undefined, field: string): string[] {
    if (this.#interfaces.length === 0) {
      throw new LiwascInputError(
        field,
        "no scanner interfaces are configured (--scan-interfaces)",
        "precondition",
      );
    }
    if (!name) return this.#interfaces;
    if (!this.#interfaces.includes(name)) {
      throw new LiwascInputError(
        field,
        `${name} is not a scanner interface (${this.#interfaces.join(", ")})`,
      );
    }
    return [name];
  }

  startNodeScan(input: StartNodeScanInput): ScanRecord {
    const interfaces = this.#chooseInterfaces(input.interface, "interface");
    const ips = (input.ips ?? []).map((text, index) => parseAddress(text, `ips[${index}]`));
    // Targets are worked out now so a bad request fails here, not in the background.
    const plans = interfaces.map((name) => {
      try {
        const subnets = subnetsOf(name);
        const scoped = ips.filter((ip) => subnets.some((s) => ((ip & s.mask) >>> 0) === s.network));
        return { name, targets: ips.length > 0 ? targetsOf(subnets, scoped) : targetsOf(subnets) };
      } catch (error) {
        if (error instanceof TargetError) throw new LiwascInputError("interface", error.message);
        throw error;
      }
    }).filter((plan) => plan.targets.length > 0);
    if (ips.length > 0 && plans.reduce((n, plan) => n + plan.targets.length, 0) < ips.length) {
      throw new LiwascInputError("ips", "an address is in none of the scanner's subnets");
    }
    const record = this.#newScan("node", interfaces.join(","), "", input.startedBy);
    record.total = plans.reduce((n, plan) => n + plan.targets.length, 0);
    const controller = this.#track(record);
    (async () => {
      for (const plan of plans) {
        if (controller.signal.aborted) break;
        const before = record.done, foundBefore = record.found;
        const seen = new Set<number>();
        let lastPublished = 0;
        const result = await arpScan({
          interface: plan.name,
          targets: plan.targets,
          ratePerSecond: this.#settings.arpRate,
          signal: controller.signal,
          onSighting: (sighting) => {
            seen.add(sighting.ip);
            record.found = foundBefore + seen.size;
            const now = performance.now();
            if (now - lastPublished > progressEveryMs) {
              lastPublished = now;
              this.scans.publish({ ...record });
            }
          },
        });
        record.done = before + plan.targets.length;
        record.found = foundBefore + result.hosts.size;
        const asked = new Set(plan.targets.map((target) => formatIpv4(target.ip)));
        const changed = this.#book.applyScan(plan.name, result.hosts, asked, Date.now());
        this.#repository.saveNodes(changed);
        for (const node of changed) this.nodes.publish({ ...node });
        if (this.#settings.reverseDns) await this.#resolveNames(changed, controller.signal);
        this.scans.publish({ ...record });
      }
    })().then(
      () => this.#finish(record, controller.signal.aborted ? "cancelled" : "done"),
      (error) => this.#finish(record, "failed", error),
    );
    return { ...record };
  }

  startPortScan(input: StartPortScanInput): ScanRecord {
    const ip = parseAddress(input.ip, "ip");
    const inSubnet = this.#interfaces.some((name) => {
      try {
        return subnetsOf(name).some((s) => ((ip & s.mask) >>> 0) === s.network);
      } catch {
        return false;
      }
    });
    if (!inSubnet) throw new LiwascInputError("ip", `${input.ip} is in none of the scanner's subnets`);
    const record = this.#newScan("port", input.ip, "", input.startedBy);
    const job = runPortScan({
      ip: input.ip,
      tcpPorts: input.tcpPorts,
      udpPorts: input.udpPorts,
      timeoutMs: input.timeoutMs,
      tcpMethod: input.tcpMethod,
      record,
      onPort: (port) => this.ports.publish(port),
      onProgress: () => this.scans.publish({ ...record }),
      save: (ports) => this.#repository.savePorts(ports),
    });
    const controller = this.#track(record);
    job.run(controller.signal).then(
      () => this.#finish(record, controller.signal.aborted ? "cancelled" : "done"),
      (error) => this.#finish(record, "failed", error),
    ).finally(() => {
      // The node's open ports changed: its row in every node view too.
      const node = this.#book.byIp(input.ip);
      if (node) this.nodes.publish({ ...node });
    });
    return { ...record };
  }

  startWake(input: StartWakeInput): WakeRecord {
    const known = this.#book.get(input.mac);
    const interfaceName = input.interface || known?.interface || "";
    const interfaces = this.#chooseInterfaces(interfaceName || undefined, "interface");
    const followIp = input.ip || known?.ips[0] || "";
    if (followIp) parseAddress(followIp, "ip");
    let password: Uint8Array | undefined;
    try {
      password = input.password ? parseSecureOnPassword(input.password) : undefined;
    } catch (error) {
      throw new LiwascInputError("password", (error as Error).message);
    }
    const record: WakeRecord = {
      id: crypto.randomUUID(),
      mac: input.mac,
      ip: followIp,
      interface: interfaces.join(","),
      state: "sent",
      packetsSent: 0,
      probes: 0,
      started: Date.now(),
    };
    const controller = new AbortController();
    this.#running.set(record.id, { record, controller });
    this.#repository.saveWake(record);
    this.wakes.publish({ ...record });
    (async () => {
      // Each interface gets the magic packet; the one holding the node's address follows it.
      for (const name of interfaces) {
        const follows = followIp !== "" && this.#holds(name, followIp);
        const final = await wake({
          interface: name,
          mac: input.mac,
          password,
          followIp: follows ? parseIpv4(followIp) : undefined,
          timeoutMs: (input.timeoutSeconds || 120) * 1000,
          signal: controller.signal,
          onProgress: (progress) => {
            record.state = progress.state;
            record.packetsSent = progress.packetsSent;
            record.probes = progress.probes;
            this.wakes.publish({ ...record });
          },
        });
        record.state = final.state;
        if (follows) break;
      }
    })().catch((error) => {
      record.state = "failed";
      record.error = (error as Error).message;
    }).finally(() => {
      record.finished = Date.now();
      this.#running.delete(record.id);
      this.#repository.saveWake(record);
      this.wakes.publish({ ...record });
    });
    return { ...record };
  }

  listWakes(mac?: MacAddress): WakeRecord[] {
    return this.#repository.listWakes(mac, 50);
  }

  #holds(interfaceName: string, ip: string): boolean {
    try {
      const address = parseIpv4(ip);
      return subnetsOf(interfaceName).some((s) => ((address & s.mask) >>> 0) === s.network);
    } catch {
      return false;
    }
  }

  #newScan(kind: ScanRecord["kind"], target: string, ports: string, startedBy: string): ScanRecord {
    return {
      id: crypto.randomUUID(),
      kind,
      state: "running",
      started: Date.now(),
      target,
      ports,
      found: 0,
      done: 0,
      total: 0,
      startedBy,
    };
  }

  #track(record: ScanRecord): AbortController {
    const controller = new AbortController();
    this.#running.set(record.id, { record, controller });
    this.#repository.saveScan(record);
    this.scans.publish({ ...record });
    return controller;
  }

  #finish(record: ScanRecord, state: ScanRecord["state"], error?: unknown): void {
    record.state = state;
    record.finished = Date.now();
    if (error) {
      record.error = (error as Error).message;
      this.#log.warn("scan failed", { id: record.id, kind: record.kind, error: record.error });
    }
    this.#running.delete(record.id);
    this.#repository.saveScan(record);
    this.scans.publish({ ...record });
  }

  async #resolveNames(nodes: NodeRecord[], signal: AbortSignal): Promise<void> {
    const changed: NodeRecord[] = [];
    for (const node of nodes) {
      if (signal.aborted || node.ips.length === 0) continue;
      const name = await reverseLookup(node.ips[0], signal);
      const updated = name === undefined ? undefined : this.#book.setHostname(node.mac, name);
      if (updated) changed.push(updated);
    }
    this.#repository.saveNodes(changed);
    for (const node of changed) this.nodes.publish({ ...node });
  }

  #applySchedule(): void {
    clearInterval(this.#schedule);
    this.#schedule = undefined;
    const minutes = this.#settings.scanIntervalMinutes;
    if (minutes <= 0 || this.#interfaces.length === 0) return;
    this.#schedule = setInterval(() => {
      if (this.runningScans().some((scan) => scan.kind === "node" && scan.startedBy === "schedule")) return;
      try {
        this.startNodeScan({ startedBy: "schedule" });
      } catch (error) {
        this.#log.warn("scheduled scan not started", { error: (error as Error).message });
      }
    }, minutes * 60_000);
  }

  #prune(): void {
    const before = Date.now() - this.#settings.retentionDays * dayMs;
    const pruned = this.#repository.prune(before);
    this.#book.forgetBefore(before);
    if (pruned.scans + pruned.nodes + pruned.ports + pruned.wakes > 0) {
      this.#log.info("pruned history", pruned);
    }
  }
}

function parseAddress(text: string, field: string): number {
  try {
    return parseIpv4(text);
  } catch (error) {
    throw new LiwascInputError(field, (error as Error).message);
  }
}
