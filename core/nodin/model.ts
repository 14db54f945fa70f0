import type { CloudAccount } from "./clouds/account.ts";
import type { BmcReference, PowerState } from "./power/driver.ts";

// nodin's records, as the store keeps them and the API shows them. Times are epoch milliseconds; MACs are
// lowercase "aa:bb:cc:dd:ee:ff" text (the key nodes are merged on).

export type LifeCycle = "discovered" | "enrolled" | "provisioning" | "ready" | "deployed" | "retired";

export type Firmware = "bios" | "uefi" | "";

/** What nodin wants a node's power to be; "" leaves power alone (no BMC, or not managed yet). */
export type DesiredPower = "on" | "off" | "";

/** A power state with when it began and what it rests on ("IPMI chassis status: on", "asked: soft off"). */
export interface PowerRecord<State extends string = PowerState> {
  state: State;
  at: number;
  evidence: string;
}

export interface DesiredPowerRecord extends PowerRecord<DesiredPower> {
  /** How "off" is reached: "soft" asks the OS first and cuts power after a timeout; "hard" cuts it now. */
  offMode: "soft" | "hard";
}

/** One source that saw the node (necon, liwasc, bofied, api, a cloud provider) and what it said last. */
export interface NodeSource {
  source: string;
  firstSeen: number;
  lastSeen: number;
  detail: string;
}

export interface NodeRecord {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** "lab" for machines on the LAN, else the cloud provider ("aws-ec2", "gce", "digitalocean"). */
  provider: string;
  providerRef: string;
  /** The cloud account (clouds/account.ts) the node's machine is listed by; absent for lab nodes. */
  cloudAccount?: string;
  macs: string[];
  addresses: string[];
  /** "x64", "arm64" …, from the PXE request or the provider. */
  architecture: string;
  firmware: Firmware;
  /** The PXE client architecture type (RFC 4578) last seen, or -1. */
  pxeArch: number;
  bmc?: BmcReference;
  desiredPower: DesiredPowerRecord;
  observedPower: PowerRecord;
  lifecycle: LifeCycle;
  lifecycleAt: number;
  /** What the node should boot into once enrolled ("install-debian", "disk" …); read by boot rules. */
  bootIntent: string;
  /** The enrolment rule that enrolled it, if one did. */
  enrolledBy: string;
  lastSeen: number;
  sources: NodeSource[];
  created: number;
  updated: number;
}

export type HistoryKind = "created" | "edit" | "lifecycle" | "sighting" | "desired-power" | "power" | "boot";

/** One change to a node, appended and never edited; `seq` orders them. */
export interface HistoryEntry {
  seq: number;
  nodeId: string;
  at: number;
  kind: HistoryKind;
  message: string;
  /** Who or what caused it: a user, "necon", "power loop", a rule id. */
  actor: string;
}

export interface EnrolmentRule {
  id: string;
  name: string;
  /** Rules are tried in this order (lowest first); the first that matches a node enrols it. */
  priority: number;
  enabled: boolean;
  /** Full MACs or prefixes ("02:00:00" an OUI, "02:00:00:00:6"): a node matches when one of its MACs does. */
  macPrefixes: string[];
  /** PXE client architecture types (RFC 4578: 0 BIOS x86, 7 x64 UEFI, 11 ARM64 UEFI …). */
  pxeArchitectures: number[];
  /** A label selector ("rack=a,!spare") over the node's labels. */
  labelSelector: string;
  /** Labels the enrolled node gets (added to its own). */
  setLabels: Record<string, string>;
  bootIntent: string;
}

/** What nodin keeps: one repository over the store, replaceable by another backend. */
export interface NodinRepository {
  loadNodes(): NodeRecord[];
  saveNode(node: NodeRecord): void;
  deleteNode(id: string): void;
  appendHistory(entries: Omit<HistoryEntry, "seq">[]): void;
  history(nodeId: string, limit: number, beforeSeq?: number): HistoryEntry[];
  /** Keeps at most `perNode` entries of each node and none older than `before`. */
  pruneHistory(perNode: number, before: number): number;
  loadRules(): EnrolmentRule[];
  saveRule(rule: EnrolmentRule): void;
  deleteRule(id: string): boolean;
  loadAccounts(): CloudAccount[];
  saveAccount(account: CloudAccount): void;
  deleteAccount(id: string): boolean;
}
