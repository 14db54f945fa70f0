import { InputError } from "../errors/input_error.ts";
import type { Logger } from "../log/logger.ts";
import { checkAccount, type CloudAccount, type CloudProviderKind, providerOf } from "./clouds/account.ts";
import { cloudSource, describeCloudError } from "./clouds/power_driver.ts";
import type { CloudMachine, CloudProvider, CreateMachineSpec } from "./clouds/provider.ts";
import { SyncLoop, type SyncTiming } from "./clouds/sync_loop.ts";
import type { NodinMetrics } from "./metrics.ts";
import type { NodeRecord, NodinRepository } from "./model.ts";
import type { Credential } from "./power/driver.ts";
import type { CredentialFiles } from "./secrets.ts";

/** What CloudAccounts needs of Nodin: the nodes a listing updates. */
export interface MachineInventory {
  upsertMachine(account: CloudAccount, machine: CloudMachine, actor: string, enrolled?: boolean): NodeRecord;
  retireUnlisted(account: CloudAccount, listed: Set<string>, listedAt: number): number;
  retireMachine(id: string, why: string, actor: string): NodeRecord;
  detachAccount(account: CloudAccount, actor: string): void;
  require(id: string): NodeRecord;
}

export interface CloudAccountInput {
  id?: string;
  name: string;
  provider: string;
  settings: Record<string, string>;
  credential?: Credential;
}

function newAccountId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return `c-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * The cloud accounts and their listing loops: each account's machines are listed every so often (backing
 * off while the provider refuses or cannot be reached) and become nodes; a machine the provider no longer
 * lists retires its node. A failing listing changes no node, so a wrong credential loses nothing.
 */
export class CloudAccounts {
  readonly #accounts = new Map<string, CloudAccount>();
  readonly #loops = new Map<string, SyncLoop>();
  #running = false;

  constructor(
    private readonly options: {
      log: Logger;
      metrics: NodinMetrics;
      repository: NodinRepository;
      credentials: CredentialFiles;
      inventory: MachineInventory;
      timing: SyncTiming;
    },
  ) {
    for (const account of options.repository.loadAccounts()) this.#accounts.set(account.id, account);
  }

  start(): void {
    this.#running = true;
    for (const id of this.#accounts.keys()) this.#loop(id);
  }

  async stop(): Promise<void> {
    this.#running = false;
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    await Promise.all(loops.map((loop) => loop.stop()));
  }

  list(): CloudAccount[] {
    return [...this.#accounts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): CloudAccount | undefined {
    return this.#accounts.get(id);
  }

  require(id: string, field = "id"): CloudAccount {
    const account = this.#accounts.get(id);
    if (!account) throw new InputError(field, `no cloud account "${id}"`, "not-found");
    return account;
  }

  hasCredential(account: CloudAccount): boolean {
    return this.options.credentials.has(account.credentialRef);
  }

  /** Adds (no id) or replaces an account; the credential is stored, never kept on the record. */
  put(input: CloudAccountInput): CloudAccount {
    const before = input.id ? this.require(input.id, "account.id") : undefined;
    const id = before?.id ?? newAccountId();
    const account: CloudAccount = checkAccount({
      id,
      name: input.name,
      provider: input.provider as CloudProviderKind,
      settings: { ...input.settings },
      credentialRef: before?.credentialRef ?? id,
      created: before?.created ?? Date.now(),
    });
    if (this.list().some((other) => other.name === account.name && other.id !== id)) {
      throw new InputError("account.name", `another account is named ${account.name}`);
    }
    if (before && before.provider !== account.provider) {
      throw new InputError("account.provider", "an account's provider cannot change: add another account");
    }
    if (!input.credential && !before) {
      throw new InputError("account.credential", "a new account needs its credential");
    }
    if (input.credential) this.options.credentials.put(account.credentialRef, input.credential);
    this.#save(account);
    this.#loop(id)?.wake();
    return account;
  }

  async delete(id: string, actor: string): Promise<void> {
    const account = this.require(id);
    const loop = this.#loops.get(id);
    this.#loops.delete(id);
    await loop?.stop();
    this.#accounts.delete(id);
    this.options.repository.deleteAccount(id);
    this.options.credentials.delete(account.credentialRef);
    this.options.inventory.detachAccount(account, actor);
  }

  /** Lists the account's machines now; the outcome is recorded on the account and returned. */
  async syncNow(id: string, signal?: AbortSignal): Promise<CloudAccount> {
    const timeout = AbortSignal.timeout(this.options.timing.callTimeoutMs);
    await this.#sync(this.require(id), signal ? AbortSignal.any([signal, timeout]) : timeout);
    this.#loop(id)?.wake();
    return this.require(id);
  }

  /** Makes a machine in the account; its node is enrolled at once and kept by the listings after. */
  async createMachine(accountId: string, spec: CreateMachineSpec, actor: string): Promise<NodeRecord> {
    const account = this.require(accountId, "cloud.account_id");
    const machine = await this.#call(account, (provider, signal) => provider.create(spec, signal));
    return this.options.inventory.upsertMachine(account, machine, actor, true);
  }

  /** Deletes the node's machine at the provider, then retires the node (its history stays). */
  async deleteMachine(node: NodeRecord, actor: string): Promise<NodeRecord> {
    const account = this.require(node.cloudAccount ?? "", "id");
    await this.#call(account, (provider, signal) => provider.delete(node.providerRef, signal));
    return this.options.inventory.retireMachine(
      node.id,
      `deleted at ${cloudSource(account)} by ${actor}`,
      actor,
    );
  }

  #providerOf(account: CloudAccount): CloudProvider {
    const credential = this.options.credentials.get(account.credentialRef);
    if (!credential) {
      throw new InputError("account.credential", `cloud account ${account.name} has no credential`);
    }
    return providerOf(account, credential);
  }

  /** One provider call for the API: a refusal is a precondition failure naming the account. */
  async #call<T>(account: CloudAccount, work: (provider: CloudProvider, signal: AbortSignal) => Promise<T>) {
    try {
      return await work(this.#providerOf(account), AbortSignal.timeout(this.options.timing.callTimeoutMs));
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError("cloud", `${cloudSource(account)}: ${describeCloudError(error)}`, "precondition");
    }
  }

  async #sync(account: CloudAccount, signal: AbortSignal): Promise<boolean> {
    const at = Date.now();
    const source = cloudSource(account);
    try {
      const machines = await this.#providerOf(account).list(signal);
      for (const machine of machines) this.options.inventory.upsertMachine(account, machine, source);
      const retired = this.options.inventory.retireUnlisted(
        account,
        new Set(machines.map((m) => m.providerRef)),
        at,
      );
      if (retired) this.options.log.info("cloud machines gone", { account: account.name, retired });
      this.#record(account.id, { at, ok: true, error: "", machines: machines.length });
      this.options.metrics.cloudListed(account.provider, true);
      return true;
    } catch (error) {
      const reason = error instanceof InputError ? error.reason : describeCloudError(error);
      this.options.log.warn("cloud listing failed", { account: account.name, error: reason });
      this.#record(account.id, { at, ok: false, error: reason, machines: 0 });
      this.options.metrics.cloudListed(account.provider, false);
      return false;
    }
  }

  #record(id: string, status: NonNullable<CloudAccount["lastSync"]>): void {
    const account = this.#accounts.get(id);
    if (account) this.#save({ ...account, lastSync: status });
  }

  /** When the account's next listing is due (0: not scheduled). */
  nextSync(id: string): number {
    return this.#loops.get(id)?.nextAt ?? 0;
  }

  #save(account: CloudAccount): void {
    this.options.repository.saveAccount(account);
    this.#accounts.set(account.id, account);
  }

  #loop(id: string): SyncLoop | undefined {
    if (!this.#running) return undefined;
    let loop = this.#loops.get(id);
    if (!loop) {
      loop = new SyncLoop((signal) => {
        const account = this.#accounts.get(id);
        return account ? this.#sync(account, signal) : Promise.resolve(true);
      }, this.options.timing);
      this.#loops.set(id, loop);
    }
    return loop;
  }
}
