import { InputError } from "../errors/input_error.ts";
import type { Logger } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { Hub } from "../stream/hub.ts";
import type { CloudAccount } from "./clouds/account.ts";
import { applyMachine, newMachineNode, retireMachineNode } from "./clouds/machine_nodes.ts";
import { cloudDriverFactory, cloudDriverName, cloudSource } from "./clouds/power_driver.ts";
import { defaultSyncTiming, type SyncTiming } from "./clouds/sync_loop.ts";
import { CloudAccounts } from "./cloud_accounts.ts";
import type { CloudMachine } from "./clouds/provider.ts";
import { applySighting, newNode } from "./discovery.ts";
import { checkRule, enrollingRule } from "./enrolment.ts";
import { type NodeFilter, nodePredicate } from "./filter.ts";
import { checkStep } from "./lifecycle.ts";
import { NodinMetrics } from "./metrics.ts";
import type {
  DesiredPowerRecord,
  EnrolmentRule,
  HistoryEntry,
  HistoryKind,
  NodeRecord,
  NodinRepository,
} from "./model.ts";
import { applyEdit, type NodeEdit } from "./node_input.ts";
import { NodePower } from "./node_power.ts";
import type { PowerTiming } from "./power/worker.ts";
import type { DriverRegistry } from "./power/registry.ts";
import type { Credential } from "./power/driver.ts";
import { checkCredentialRef, type CredentialFiles } from "./secrets.ts";
import type { Sighting, SightingFeed } from "./sightings.ts";

export interface NodinOptions {
  log: Logger;
  repository: NodinRepository;
  credentials: CredentialFiles;
  drivers: DriverRegistry;
  powerTiming?: Partial<PowerTiming>;
  /** History kept per node, and for how long (days). */
  historyPerNode?: number;
  historyDays?: number;
  cloudTiming?: Partial<SyncTiming>;
  /** Registers the "cloud" power driver (cloud nodes powered through their account) in `drivers`. */
  cloudPower?: boolean;
  /** The binary's registry, which nodin's own metrics join (a registry of their own when not given). */
  metrics?: Registry;
}

/** A node changed (or was deleted: `removed`), for WatchNodes and the page. */
export interface NodeChange {
  node: NodeRecord;
  removed: boolean;
}

export interface HistoryLine {
  kind: HistoryKind;
  message: string;
}

const dayMs = 86_400_000;

function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * nodin's state: every node (one per MAC, whatever saw it), its life-cycle and its power, the enrolment
 * rules, and the change feed the API streams. Every change is written to the store with a history line
 * before it is published.
 */
export class Nodin {
  readonly changes = new Hub<NodeChange>({ historySize: 0, subscriberQueue: 10_000 });
  readonly drivers: DriverRegistry;
  readonly power: NodePower;
  readonly clouds: CloudAccounts;
  readonly metrics: NodinMetrics;
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #byMac = new Map<string, string>();
  readonly #repository: NodinRepository;
  readonly #credentials: CredentialFiles;
  readonly #log: Logger;
  readonly #historyPerNode: number;
  readonly #historyDays: number;
  #rules: EnrolmentRule[];
  #feeds = new AbortController();
  #retention: ReturnType<typeof setInterval> | undefined;

  constructor(options: NodinOptions) {
    this.#log = options.log;
    this.#repository = options.repository;
    this.#credentials = options.credentials;
    this.drivers = options.drivers;
    this.#historyPerNode = options.historyPerNode ?? 1000;
    this.#historyDays = options.historyDays ?? 90;
    for (const node of options.repository.loadNodes()) this.#index(node);
    this.#rules = options.repository.loadRules();
    this.metrics = new NodinMetrics(options.metrics ?? new Registry(), () => this.#nodes.values());
    this.clouds = new CloudAccounts({
      log: options.log,
      metrics: this.metrics,
      repository: options.repository,
      credentials: options.credentials,
      inventory: this,
      timing: { ...defaultSyncTiming, ...options.cloudTiming },
    });
    if (options.cloudPower && !this.drivers.get(cloudDriverName)) {
      this.drivers.register(cloudDriverFactory((id) => this.clouds.get(id)));
    }
    this.power = new NodePower({
      nodes: this,
      drivers: options.drivers,
      credentials: options.credentials,
      timing: options.powerTiming,
      metrics: this.metrics,
    });
  }

  /** Starts the power loop over the stored nodes and follows the sighting feeds. */
  start(feeds: SightingFeed[] = []): void {
    this.power.start([...this.#nodes.keys()]);
    this.clouds.start();
    this.#feeds = new AbortController();
    for (const feed of feeds) {
      feed.follow(this.#feeds.signal, (sighting) => this.sight(sighting)).catch((error) => {
        if (!this.#feeds.signal.aborted) {
          this.#log.error("sighting feed ended", { source: feed.source, error: String(error) });
        }
      });
    }
    this.pruneHistory();
    this.#retention = setInterval(() => this.pruneHistory(), 3_600_000);
  }

  async stop(): Promise<void> {
    this.#feeds.abort();
    clearInterval(this.#retention);
    await this.clouds.stop();
    await this.power.stop();
  }

  pruneHistory(): number {
    return this.#repository.pruneHistory(this.#historyPerNode, Date.now() - this.#historyDays * dayMs);
  }

  list(filter: NodeFilter = {}): NodeRecord[] {
    const wanted = nodePredicate(filter);
    return [...this.#nodes.values()].filter(wanted).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): NodeRecord | undefined {
    return this.#nodes.get(id);
  }

  /** The node, or an InputError (not found) naming `field`. */
  require(id: string, field = "id"): NodeRecord {
    const node = this.#nodes.get(id);
    if (!node) throw new InputError(field, `no node "${id}"`, "not-found");
    return node;
  }

  byMac(mac: string): NodeRecord | undefined {
    const id = this.#byMac.get(mac);
    return id === undefined ? undefined : this.#nodes.get(id);
  }

  countBy(predicate: (node: NodeRecord) => boolean): number {
    let count = 0;
    for (const node of this.#nodes.values()) if (predicate(node)) count++;
    return count;
  }

  history(id: string, limit = 100, beforeSeq?: number): HistoryEntry[] {
    return this.#repository.history(id, Math.min(Math.max(limit, 1), 1000), beforeSeq);
  }

  /** One MAC seen by a source: the node it belongs to learns of it, or a new node is discovered. */
  sight(sighting: Sighting): void {
    this.metrics.sighted(sighting.source);
    const known = this.byMac(sighting.mac);
    const node = known ? structuredClone(known) : newNode(newId("n"), sighting.mac, sighting.at);
    const lines: HistoryLine[] = known
      ? []
      : [{ kind: "created", message: `discovered by ${sighting.source}` }];
    lines.push(...applySighting(node, sighting).map((message) => ({ kind: "sighting" as const, message })));
    lines.push(...this.#autoEnrol(node));
    this.#commit(node, lines, sighting.source);
  }

  create(edit: NodeEdit & { lifecycle?: string }, actor: string): NodeRecord {
    const now = Date.now();
    const lifecycle = edit.lifecycle || "enrolled";
    if (lifecycle !== "discovered" && lifecycle !== "enrolled") {
      throw new InputError("lifecycle", "a new node starts discovered or enrolled");
    }
    // Narrowed above; spelt out for the record's type.
    const start: NodeRecord["lifecycle"] = lifecycle;
    const draft: NodeRecord = {
      ...newNode(newId("n"), "", now),
      macs: [],
      lifecycle: start,
      lifecycleAt: now,
    };
    draft.sources = [{ source: "api", firstSeen: now, lastSeen: now, detail: `created by ${actor}` }];
    const node = applyEdit(draft, { ...edit, name: edit.name || draft.id }, this.#inputContext());
    this.#storeCredential(node, edit);
    const lines: HistoryLine[] = [{ kind: "created", message: `created ${lifecycle} by ${actor}` }];
    lines.push(...this.#autoEnrol(node));
    this.#commit(node, lines, actor);
    return node;
  }

  update(id: string, edit: NodeEdit, actor: string): NodeRecord {
    const before = this.require(id);
    const node = applyEdit(before, edit, this.#inputContext());
    this.#storeCredential(node, edit);
    const changed = Object.keys(edit).filter((key) => edit[key as keyof NodeEdit] !== undefined);
    const secret = edit.bmc?.credential ? " (credential replaced)" : "";
    this.#commit(node, [{ kind: "edit", message: `edited ${changed.join(", ")}${secret}` }], actor);
    return node;
  }

  delete(id: string, actor: string): void {
    const node = this.require(id);
    this.#nodes.delete(id);
    for (const mac of node.macs) this.#byMac.delete(mac);
    this.#repository.deleteNode(id);
    if (node.bmc?.credentialRef === node.id) this.#credentials.delete(node.id);
    this.#repository.appendHistory([{ nodeId: id, at: Date.now(), kind: "edit", message: "deleted", actor }]);
    this.power.sync(id);
    this.changes.publish({ node, removed: true });
  }

  setLifecycle(id: string, to: string, actor: string, reason = ""): NodeRecord {
    const node = structuredClone(this.require(id));
    const from = node.lifecycle;
    node.lifecycle = checkStep(from, to);
    node.lifecycleAt = Date.now();
    this.#commit(
      node,
      [{ kind: "lifecycle", message: `${from} → ${to}${reason ? `: ${reason}` : ""}` }],
      actor,
    );
    return node;
  }

  enrol(
    id: string,
    input: { labels?: Record<string, string>; bootIntent?: string },
    actor: string,
  ): NodeRecord {
    const current = this.require(id);
    const from = current.lifecycle;
    const node = applyEdit(current, {
      labels: { ...current.labels, ...input.labels },
      bootIntent: input.bootIntent || current.bootIntent,
    }, this.#inputContext());
    node.lifecycle = checkStep(from, "enrolled");
    node.lifecycleAt = Date.now();
    this.#commit(node, [{ kind: "lifecycle", message: `${from} → enrolled: enrolled by ${actor}` }], actor);
    return node;
  }

  retire(id: string, input: { reason?: string; powerOff?: boolean }, actor: string): NodeRecord {
    const node = this.setLifecycle(id, "retired", actor, input.reason || `retired by ${actor}`);
    if (input.powerOff && node.bmc) return this.setDesiredPower(id, "off", "soft", actor, "retired");
    return node;
  }

  /** Records the wish and lets the power loop act on it; no BMC means nothing could act, so refused. */
  setDesiredPower(
    id: string,
    state: "on" | "off",
    offMode: DesiredPowerRecord["offMode"],
    actor: string,
    why = "",
  ): NodeRecord {
    const node = structuredClone(this.require(id));
    if (!node.bmc) {
      throw new InputError(
        "id",
        `node ${node.name} has no BMC reference: set one to manage its power`,
        "precondition",
      );
    }
    const evidence = `asked by ${actor}${why ? ` (${why})` : ""}`;
    node.desiredPower = { state, at: Date.now(), evidence, offMode };
    const how = state === "off" ? ` (${offMode})` : "";
    this.#commit(node, [{ kind: "desired-power", message: `desired ${state}${how}, ${evidence}` }], actor);
    return node;
  }

  /** Records what the power loop saw, when it changed. */
  observePower(id: string, state: NodeRecord["observedPower"]): void {
    const current = this.#nodes.get(id);
    if (!current || current.observedPower.state === state.state) return;
    const node = structuredClone(current);
    const message = `${current.observedPower.state} → ${state.state}: ${state.evidence}`;
    node.observedPower = state;
    this.#commit(node, [{ kind: "power", message }], "power loop");
  }

  /** A line in the node's history that changes nothing else (an action taken, a refusal). */
  note(id: string, kind: HistoryKind, message: string, actor: string): void {
    if (!this.#nodes.has(id)) return;
    this.#repository.appendHistory([{ nodeId: id, at: Date.now(), kind, message, actor }]);
  }

  rules(): EnrolmentRule[] {
    return this.#rules.map((rule) => structuredClone(rule));
  }

  /** Adds (no id) or replaces a rule, then enrols every discovered node it now matches. */
  putRule(input: Omit<EnrolmentRule, "id"> & { id?: string }): EnrolmentRule {
    if (input.id && !this.#rules.some((rule) => rule.id === input.id)) {
      throw new InputError("rule.id", `no enrolment rule "${input.id}"`, "not-found");
    }
    const rule = checkRule({ ...structuredClone(input), id: input.id || newId("r") });
    this.#repository.saveRule(rule);
    this.#rules = this.#repository.loadRules();
    for (const node of [...this.#nodes.values()]) {
      if (node.lifecycle !== "discovered") continue;
      const draft = structuredClone(node);
      const lines = this.#autoEnrol(draft);
      if (lines.length) this.#commit(draft, lines, rule.id);
    }
    return rule;
  }

  deleteRule(id: string): void {
    if (!this.#repository.deleteRule(id)) {
      throw new InputError("id", `no enrolment rule "${id}"`, "not-found");
    }
    this.#rules = this.#repository.loadRules();
  }

  /** A machine a cloud account listed (or made): its node updated, or a new node discovered. */
  upsertMachine(account: CloudAccount, machine: CloudMachine, actor: string, enrolled = false): NodeRecord {
    const at = Date.now();
    const known = [...this.#nodes.values()].find((node) =>
      node.cloudAccount === account.id && node.providerRef === machine.providerRef
    );
    const node = known ? structuredClone(known) : newMachineNode(newId("n"), account, machine, at);
    const lines: HistoryLine[] = known ? [] : [{
      kind: "created",
      message: enrolled
        ? `created in ${cloudSource(account)} by ${actor}`
        : `discovered by ${cloudSource(account)}`,
    }];
    const changes = applyMachine(node, account, machine, at, (mac) => this.#byMac.get(mac));
    // Made through nodin: enrolled, even when a listing running meanwhile found the machine first.
    if (enrolled && node.lifecycle === "discovered") {
      if (known) changes.push({ kind: "lifecycle", message: `discovered → enrolled: created by ${actor}` });
      node.lifecycle = "enrolled";
      node.lifecycleAt = at;
    }
    lines.push(...changes);
    if (!known) lines.push(...this.#autoEnrol(node));
    if (known && changes.length === 0) {
      // Nothing new: keep the record current without a history line or a change event per sync.
      this.#nodes.set(node.id, node);
      return node;
    }
    this.#commit(node, lines, actor);
    return node;
  }

  /**
   * Every node of the account not in `listed` (provider references) is retired: its machine is gone.
   * Nodes made after the listing began (`listedAt`) are left alone: the listing could not know them.
   */
  retireUnlisted(account: CloudAccount, listed: Set<string>, listedAt: number): number {
    let retired = 0;
    for (const node of this.list()) {
      if (node.cloudAccount !== account.id || listed.has(node.providerRef)) continue;
      if (node.created >= listedAt) continue;
      if (node.lifecycle === "retired" && !node.bmc) continue;
      this.retireMachine(
        node.id,
        `${cloudSource(account)} no longer lists ${node.providerRef}`,
        cloudSource(account),
      );
      retired++;
    }
    return retired;
  }

  retireMachine(id: string, why: string, actor: string): NodeRecord {
    const node = structuredClone(this.require(id));
    this.#commit(node, retireMachineNode(node, why, Date.now()), actor);
    return node;
  }

  /** The account is gone: its nodes stay (history kept) but are no longer powered through it. */
  detachAccount(account: CloudAccount, actor: string): void {
    for (const node of this.list()) {
      if (node.cloudAccount !== account.id || !node.bmc) continue;
      const draft = structuredClone(node);
      delete draft.bmc;
      this.#commit(draft, [{ kind: "edit", message: `cloud account ${account.name} removed` }], actor);
    }
  }

  /** Stores a credential under `ref` (for a BMC checked before its node exists). */
  putCredential(ref: string, credential: Credential, field: string): void {
    this.#credentials.put(checkCredentialRef(ref, field), credential);
  }

  hasCredential(ref: string | undefined): boolean {
    return ref ? this.#credentials.has(ref) : false;
  }

  #autoEnrol(node: NodeRecord): HistoryLine[] {
    const rule = enrollingRule(this.#rules, node);
    if (!rule) return [];
    node.labels = { ...node.labels, ...rule.setLabels };
    if (rule.bootIntent) node.bootIntent = rule.bootIntent;
    node.lifecycle = "enrolled";
    node.lifecycleAt = Date.now();
    node.enrolledBy = rule.id;
    const labels = Object.entries(rule.setLabels).map(([k, v]) => `${k}=${v}`).join(", ");
    return [{
      kind: "lifecycle",
      message: `discovered → enrolled by rule "${rule.name}"${labels ? ` (labels ${labels})` : ""}` +
        (rule.bootIntent ? `, boot intent ${rule.bootIntent}` : ""),
    }];
  }

  #storeCredential(node: NodeRecord, edit: NodeEdit): void {
    const credential = edit.bmc?.credential;
    if (credential && node.bmc?.credentialRef) this.#credentials.put(node.bmc.credentialRef, credential);
  }

  #inputContext() {
    return { drivers: this.drivers, ownerOf: (mac: string) => this.#byMac.get(mac) };
  }

  #index(node: NodeRecord): void {
    const previous = this.#nodes.get(node.id);
    for (const mac of previous?.macs ?? []) this.#byMac.delete(mac);
    this.#nodes.set(node.id, node);
    for (const mac of node.macs) this.#byMac.set(mac, node.id);
  }

  /** Stores the node and its history lines, then publishes the change and tells the power loop. */
  #commit(node: NodeRecord, lines: HistoryLine[], actor: string): void {
    node.updated = Date.now();
    this.#repository.saveNode(node);
    this.#repository.appendHistory(
      lines.map((line) => ({
        nodeId: node.id,
        at: node.updated,
        kind: line.kind,
        message: line.message,
        actor,
      })),
    );
    this.#index(node);
    this.changes.publish({ node, removed: false });
    this.power.sync(node.id);
  }
}
