import type { MacAddress } from "../net/mac.ts";

// liwasc's records, as the store keeps them and the API shows them. Times are epoch milliseconds.

export type ScanKind = "node" | "port";
export type ScanState = "running" | "done" | "cancelled" | "failed";

export interface ScanRecord {
  id: string;
  kind: ScanKind;
  state: ScanState;
  started: number;
  finished?: number;
  /** Node scans: the interface; port scans: the node's address. */
  target: string;
  /** Port scans: the port sets asked for, e.g. "tcp 1-1024, udp top:20". */
  ports: string;
  found: number;
  done: number;
  total: number;
  error?: string;
  startedBy: string;
}

export interface NodeRecord {
  mac: MacAddress;
  ips: string[];
  interface: string;
  vendor: string;
  hostname: string;
  firstSeen: number;
  lastSeen: number;
  online: boolean;
  /** MACs that answered for one of this node's addresses too. */
  conflictsWith: MacAddress[];
}

export type PortState = "open" | "closed" | "filtered" | "open|filtered";

export interface PortRecord {
  ip: string;
  protocol: "tcp" | "udp";
  port: number;
  state: PortState;
  reason: string;
  /** What a UDP reply was recognised as, and what it said. */
  service?: string;
  detail?: string;
  scanId: string;
  seen: number;
}

export type WakeState = "sent" | "waiting" | "awake" | "timed-out" | "cancelled" | "failed";

export interface WakeRecord {
  id: string;
  mac: MacAddress;
  ip: string;
  interface: string;
  state: WakeState;
  packetsSent: number;
  probes: number;
  started: number;
  finished?: number;
  error?: string;
}

export interface LiwascSettings {
  /** Minutes between scheduled node scans; 0: none. */
  scanIntervalMinutes: number;
  retentionDays: number;
  arpRate: number;
  reverseDns: boolean;
  /** The only interfaces scans and wakes may use, as the operator chose them. */
  scanInterfaces: string[];
}

export const defaultSettings: LiwascSettings = {
  scanIntervalMinutes: 0,
  retentionDays: 30,
  arpRate: 1000,
  reverseDns: false,
  scanInterfaces: [],
};

/** What liwasc keeps: one repository over the store, replaceable by another backend. */
export interface LiwascRepository {
  saveScan(scan: ScanRecord): void;
  listScans(kind: ScanKind | undefined, limit: number): ScanRecord[];
  saveNodes(nodes: NodeRecord[]): void;
  loadNodes(): NodeRecord[];
  savePorts(ports: PortRecord[]): void;
  loadPorts(ip?: string): PortRecord[];
  saveWake(wake: WakeRecord): void;
  listWakes(mac?: MacAddress, limit?: number): WakeRecord[];
  loadSettings(): LiwascSettings;
  saveSettings(settings: LiwascSettings): void;
  /** Drops finished scans, wakes and port results older than `before`, and nodes last seen before it. */
  prune(before: number): { scans: number; nodes: number; ports: number; wakes: number };
}
