import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import { formatCidr, parseIpv4 } from "../net/ipv4addr.ts";
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
import { checkSettings } from "./settings.ts";
import { interfaceReaches, subnetsOf } from "./targets.ts";
import { planWake, wakeJobKind } from "./wake_job.ts";

export interface LiwascOptions {
  log: Logger;
  /** The binary's registry, which liwasc's own metrics join. */
  metrics: Registry;
  repository: LiwascRepository;
  /**
   * --scan-interfaces: when given (not empty), it replaces the stored choice of scan interfaces at start.
   * Otherwise the choice kept in the settings stands.
   */
  interfaces?: string[];
}

export interface StartNodeScanInput {
  interface?: string;
  ips?: string[];
  startedBy: string;
}

export interface StartPortScanInput {
  /** Addresses or CIDR blocks: `ip` and `ips` together (see port_targets.ts). */
  ip: string;
  ips?: string[];
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
// Port results a scan hands over are saved this long after (so its answer goes out first), or as soon
// as anything reads ports.
const portSaveDelayMs = 25;
// Port results held for a save at most (~200 bytes each).
const maxUnsavedPorts = 200_000;

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
  readonly #flagInterfaces: string[];
  /** The hosts of each running port scan, by scan id (a scan's target names them only as asked). */
  readonly #portScanHosts = new Map<string, string[]>();
  #settings: LiwascSettings;
  /** Port results not in the store yet (write-behind: see #savePortsSoon). */
  #unsavedPorts: PortRecord[][] = [];
  #unsavedCount = 0;
  #portSaveTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #schedule: ReturnType<typeof setInterval> | undefined;
  #retention: ReturnType<typeof setInterval> | undefined;

  constructor(options: LiwascOptions) {
    this.#log = options.log;
    this.#repository = options.repository;
    this.#flagInterfaces = [...options.interfaces ?? []];
    this.#settings = options.repository.loadSettings();
    if (this.#flagInterfaces.length > 0) {
      this.#settings = { ...this.#settings, scanInterfaces: this.#flagInterfaces };
      this.#repository.saveSettings(this.#settings);
    }
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
    return { ...this.#settings, scanInterfaces: [...this.#settings.scanInterfaces] };
  }

  /** The interfaces scans and wakes may use now: only these, as the operator chose them. */
  get interfaces(): string[] {
    return [...this.#settings.scanInterfaces];
  }

  /** What --scan-interfaces named at start (it replaced the stored choice then); empty when not given. */
  get flagInterfaces(): string[] {
    return [...this.#flagInterfaces];
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
    this.#stopped = true;
    this.#savePortsNow();
  }

  /**
   * Keeps a scan's port results for the store: saved a moment later when no port scan runs (else when the
   * last one ends), in one transaction with any others waiting; at once when ports are read, when many
   * are waiting, or when liwasc stops. Saving 50k results (one scan of 1000 ports on 50 hosts) takes the
   * event loop 0.1-0.3 s and an fsync: a scan asked to answer when done answers first, and no save
   * stalls a running scan's answers. The results are in every read from the start; a crash before the
   * save loses them from the store.
   */
  #savePortsSoon(ports: PortRecord[]): void {
    this.#unsavedPorts.push(ports);
    this.#unsavedCount += ports.length;
    if (this.#stopped || this.#unsavedCount >= maxUnsavedPorts) this.#savePortsNow();
    else this.#portSaveTimer ??= setTimeout(() => this.#savePortsWhenIdle(), portSaveDelayMs);
  }

  #savePortsWhenIdle(): void {
    this.#portSaveTimer = undefined;
    // A running port scan hands over its results when it ends, which brings this back.
    if (!this.#scanJobs.running().some((scan) => scan.kind === "port")) this.#savePortsNow();
  }

  #savePortsNow(): void {
    clearTimeout(this.#portSaveTimer);
    this.#portSaveTimer = undefined;
    if (this.#unsavedPorts.length === 0) return;
    const ports = this.#unsavedPorts.length === 1 ? this.#unsavedPorts[0] : this.#unsavedPorts.flat();
    this.#unsavedPorts = [];
    this.#unsavedCount = 0;
    this.#repository.savePorts(ports);
  }

  /** Checks and keeps new settings (FieldErrors for wrong ones) and applies them at once. */
  setSettings(next: LiwascSettings): LiwascSettings {
    this.#settings = checkSettings(next, this.#settings, interfaceExists);
    this.#repository.saveSettings(this.#settings);
    this.#stopWorkOffTheChosenInterfaces();
    this.#applySchedule();
    return this.settings;
  }

  /**
   * Nothing goes on running on an interface the operator unticked: node scans and wakes that use one,
   * and port scans of an address none of the chosen interfaces reaches, are cancelled.
   */
  #stopWorkOffTheChosenInterfaces(): void {
    const chosen = this.#settings.scanInterfaces;
    const offChosen = (names: string) => names.split(",").some((name) => name && !chosen.includes(name));
    for (const scan of this.#scanJobs.running()) {
      const stray = scan.kind === "node"
        ? offChosen(scan.target)
        : (this.#portScanHosts.get(scan.id) ?? []).some((host) =>
          !chosen.some((name) => interfaceReaches(name, parseIpv4(host)))
        );
      if (stray) this.#scanJobs.cancel(scan.id);
    }
    for (const wake of this.#wakeJobs.running()) {
      if (offChosen(wake.interface)) this.#wakeJobs.cancel(wake.id);
    }
  }

  scannerInterfaces(): { name: string; mac: string; subnets: string[] }[] {
    return this.interfaces.filter(interfaceExists).map((name) => {
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
    this.#savePortsNow();
    return this.#repository.loadPorts(ip).filter((port) => port.state === "open");
  }

  /** The latest result for every scanned port (of one address, or all). */
  knownPorts(ip?: string): PortRecord[] {
    this.#savePortsNow();
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
    const chosen = this.interfaces;
    if (chosen.length === 0) {
      throw new LiwascInputError(
        field,
        "no scan interface is chosen (settings, or --scan-interfaces)",
        "precondition",
      );
    }
    if (!name) return chosen;
    if (!chosen.includes(name)) {
      throw new LiwascInputError(field, `${name} is not a scanner interface (${chosen.join(", ")})`);
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
    return this.#beginPortScan(input, false).record;
  }

  /** Runs a port scan to its end: the scan as it ended, and the open ports it found. */
  runPortScan(input: StartPortScanInput): Promise<{ scan: ScanRecord; openPorts: PortRecord[] }> {
    return this.#beginPortScan(input, true).finished;
  }

  #beginPortScan(input: StartPortScanInput, collectOpen: boolean) {
    const openPorts: PortRecord[] = [];
    const planned = planPortScan({
      ...input,
      interfaces: this.interfaces,
      onPort: (port) => {
        if (collectOpen && port.state === "open") openPorts.push(port);
        this.ports.publish(port);
      },
      save: (ports) => this.#savePortsSoon(ports),
      probes: this.#metrics,
    });
    const live = planned.record;
    this.#portScanHosts.set(live.id, planned.hosts);
    const { record, ended } = this.#scanJobs.start(planned);
    const finished = ended.finally(() => {
      this.#portScanHosts.delete(live.id);
      // The nodes' open ports changed: their rows in every node view too.
      for (const host of planned.hosts) {
        const node = this.#book.byIp(host);
        if (node) this.nodes.publish({ ...node });
      }
    }).then(() => ({ scan: { ...live }, openPorts }));
    return { record, finished };
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
    if (minutes <= 0 || this.#settings.scanInterfaces.length === 0) return;
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
    this.#savePortsNow();
    const before = Date.now() - this.#settings.retentionDays * dayMs;
    const pruned = this.#repository.prune(before);
    this.#book.forgetBefore(before);
    if (pruned.scans + pruned.nodes + pruned.ports + pruned.wakes > 0) {
      this.#log.info("pruned history", pruned);
    }
  }
}
