import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import { formatCidr } from "../net/ipv4addr.ts";
import { formatMac, type MacAddress, macFromBytes } from "../net/mac.ts";
import { Hub } from "../stream/hub.ts";
import { interfaceExists, macAddress } from "../sys/mod.ts";
import { LiwascInputError } from "./input_error.ts";
import { JobRunner } from "./jobs/job.ts";
import { scanJobKind } from "./jobs/scan_jobs.ts";
import type {
  LiwascRepository,
  LiwascSettings,
  NodeRecord,
  PortRecord,
  ScanRecord,
  WakeRecord,
} from "./model.ts";
import { LiwascMetrics } from "./metrics.ts";
import { NodeBook } from "./node_book.ts";
import { type NodeSweep, planNodeScan } from "./node_scan_job.ts";
import { planPortScan } from "./port_scan_job.ts";
import { reverseLookup } from "./reverse_dns.ts";
import { subnetsOf } from "./targets.ts";
import { planWake, wakeJobKind } from "./wake_job.ts";

export interface LiwascOptions {
  log: Logger;
  /** The binary's registry, which liwasc's own metrics join. */
  metrics: Registry;
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
  readonly #metrics: LiwascMetrics;
  readonly #scanJobs: JobRunner<ScanRecord>;
  readonly #wakeJobs: JobRunner<WakeRecord>;
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
    const metrics = this.#metrics = new LiwascMetrics(options.metrics, () => this.#book.all());
    this.#scanJobs = new JobRunner(scanJobKind({
      save: (record) => this.#repository.saveScan(record),
      feed: this.scans,
      log: this.#log,
      metrics,
    }));
    this.#wakeJobs = new JobRunner(wakeJobKind({
      save: (record) => this.#repository.saveWake(record),
      feed: this.wakes,
      metrics,
    }));
  }

  get settings(): LiwascSettings {
    return { ...this.#settings };
  }

  get interfaces(): string[] {
    return [...this.#interfaces];
  }

  /** Nodes that answered the latest scan of their interface. */
  onlineNodeCount(): number {
    return this.#book.all().filter((node) => node.online).length;
  }

  start(): void {
    this.#applySchedule();
    this.#prune();
    this.#retention = setInterval(() => this.#prune(), 3_600_000);
  }

  stop(): void {
    clearInterval(this.#schedule);
    clearInterval(this.#retention);
    this.#scanJobs.cancelAll();
    this.#wakeJobs.cancelAll();
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
    return this.#scanJobs.running();
  }

  cancel(id: string): ScanRecord | WakeRecord {
    const running = this.#scanJobs.cancel(id) ?? this.#wakeJobs.cancel(id);
    if (running) return running;
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
    const planned = planNodeScan({
      interfaces: this.#chooseInterfaces(input.interface, "interface"),
      ips: input.ips,
      startedBy: input.startedBy,
      ratePerSecond: () => this.#settings.arpRate,
      takeSweep: (sweep, signal) => this.#takeSweep(sweep, signal),
      probes: this.#metrics,
    });
    return this.#scanJobs.start(planned).record;
  }

  startPortScan(input: StartPortScanInput): ScanRecord {
    const planned = planPortScan({
      ...input,
      interfaces: this.#interfaces,
      onPort: (port) => this.ports.publish(port),
      save: (ports) => this.#repository.savePorts(ports),
      probes: this.#metrics,
    });
    const { record, ended } = this.#scanJobs.start(planned);
    ended.finally(() => {
      // The node's open ports changed: its row in every node view too.
      const node = this.#book.byIp(input.ip);
      if (node) this.nodes.publish({ ...node });
    });
    return record;
  }

  startWake(input: StartWakeInput): WakeRecord {
    const known = this.#book.get(input.mac);
    const interfaceName = input.interface || known?.interface || "";
    const planned = planWake({
      mac: input.mac,
      interfaces: this.#chooseInterfaces(interfaceName || undefined, "interface"),
      followIp: input.ip || known?.ips[0] || "",
      password: input.password,
      timeoutSeconds: input.timeoutSeconds,
      metrics: this.#metrics,
    });
    return this.#wakeJobs.start(planned).record;
  }

  listWakes(mac?: MacAddress): WakeRecord[] {
    return this.#repository.listWakes(mac, 50);
  }

  /** Takes one interface's ARP sweep into the node book, the store and the node feed. */
  async #takeSweep(sweep: NodeSweep, signal: AbortSignal): Promise<void> {
    const now = Date.now();
    const changed = this.#book.applyScan(sweep.interfaceName, sweep.hosts, sweep.asked, now);
    this.#metrics.nodesFound(changed.filter((node) => node.firstSeen === now).length);
    this.#repository.saveNodes(changed);
    for (const node of changed) this.nodes.publish({ ...node });
    if (this.#settings.reverseDns) await this.#resolveNames(changed, signal);
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
