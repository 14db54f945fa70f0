// The controller's side of a mesh, in the inventory's stateDir: the network (made once with `gloeth
// network-init`; its key never leaves this folder), each node's folder made with `gloeth node-init`, and
// a record per node (its certificate serial and how it was reached) so that a host that leaves the
// inventory can be revoked with `gloeth revoke` and its unit stopped. gloeth itself runs these: the
// deployer only calls the commands a user would.
import { join } from "node:path";
import type { HostSpec } from "../ssh/host.ts";
import { REVOCATIONS_FILE } from "./paths.ts";
import { pathExists } from "../../runtime/path_exists.ts";

export interface NodeRecord {
  name: string;
  /** The certificate serial node-init printed (decimal). */
  serial: string;
  ssh: HostSpec;
  /** Revoked; kept until its unit was stopped or its host could not be reached. */
  revoked: boolean;
}

export class Controller {
  readonly stateDir: string;
  /** How to run gloeth here, e.g. ["/opt/ctpf/gloeth/bin/gloeth"]. */
  readonly gloeth: string[];

  constructor(stateDir: string, gloeth: string[]) {
    this.stateDir = stateDir;
    this.gloeth = gloeth;
  }

  get networkDir(): string {
    return join(this.stateDir, "network");
  }

  nodeDir(name: string): string {
    return join(this.stateDir, "nodes", name);
  }

  #recordPath(name: string): string {
    return join(this.stateDir, "nodes", `${name}.json`);
  }

  async #run(args: string[]): Promise<string> {
    const [command, ...prefix] = this.gloeth;
    const output = await new Deno.Command(command, {
      args: [...prefix, ...args],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
    if (!output.success) {
      throw new Error(
        `gloeth ${args[0]} failed (exit ${output.code}): ${decode(output.stderr) || decode(output.stdout)}`,
      );
    }
    return decode(output.stdout);
  }

  async hasNetwork(): Promise<boolean> {
    return await pathExists(join(this.networkDir, "network.key"));
  }

  async hasRevocations(): Promise<boolean> {
    return await pathExists(join(this.networkDir, REVOCATIONS_FILE));
  }

  /** The network, made when absent. The folders are the controller user's alone (0700). */
  async ensureNetwork(): Promise<boolean> {
    if (await this.hasNetwork()) return false;
    await Deno.mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await Deno.mkdir(this.networkDir, { recursive: true, mode: 0o700 });
    await this.#run(["network-init", this.networkDir]);
    return true;
  }

  async hasNode(name: string): Promise<boolean> {
    return await pathExists(join(this.nodeDir(name), "node.key"));
  }

  /** The node's folder (node-init when absent) and its record (the SSH target kept current). */
  async ensureNode(name: string, ssh: HostSpec): Promise<{ made: boolean; record: NodeRecord }> {
    let record = await this.record(name);
    let made = false;
    if (!record || !(await this.hasNode(name))) {
      const dir = this.nodeDir(name);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      const said = await this.#run(["node-init", this.networkDir, dir, "--name", name]);
      const serial = /serial (\d+)/.exec(said)?.[1];
      if (!serial) throw new Error(`gloeth node-init did not name the serial: ${said}`);
      record = { name, serial, ssh, revoked: false };
      made = true;
    }
    if (made || JSON.stringify(record.ssh) !== JSON.stringify(ssh)) {
      record = { ...record, ssh };
      await this.#writeRecord(record);
    }
    return { made, record };
  }

  async record(name: string): Promise<NodeRecord | undefined> {
    try {
      return JSON.parse(await Deno.readTextFile(this.#recordPath(name)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  async records(): Promise<NodeRecord[]> {
    const records: NodeRecord[] = [];
    try {
      for await (const entry of Deno.readDir(join(this.stateDir, "nodes"))) {
        if (!entry.isFile || !entry.name.endsWith(".json")) continue;
        const record = await this.record(entry.name.slice(0, -".json".length));
        if (record) records.push(record);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return records.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  /**
   * Adds the nodes' serials to the signed revocation list and marks them revoked; their private keys are
   * deleted here (a revoked certificate's key has no use left).
   */
  async revoke(records: NodeRecord[]): Promise<void> {
    const fresh = records.filter((record) => !record.revoked);
    if (fresh.length === 0) return;
    await this.#run(["revoke", this.networkDir, ...fresh.map((record) => record.serial)]);
    for (const record of fresh) {
      await this.#writeRecord({ ...record, revoked: true });
      await Deno.remove(this.nodeDir(record.name), { recursive: true }).catch(() => {});
    }
  }

  /** A revoked node whose unit was stopped (or whose host is gone): nothing is left to do for it. */
  async forget(name: string): Promise<void> {
    const record = await this.record(name);
    if (!record) return;
    const revokedDir = join(this.stateDir, "revoked");
    await Deno.mkdir(revokedDir, { recursive: true, mode: 0o700 });
    await Deno.rename(this.#recordPath(name), join(revokedDir, `${name}-${record.serial}.json`));
  }

  async #writeRecord(record: NodeRecord): Promise<void> {
    await Deno.writeTextFile(this.#recordPath(record.name), JSON.stringify(record, null, 2) + "\n", {
      mode: 0o600,
    });
  }
}
