// k3sdeployer as a workstation command (cmd/k3sdeployer.ts), through core/deploy/cli: the inventory file,
// a state folder on this machine (the cluster token when the inventory names none, the record of what
// was applied so hosts that leave the inventory are removed, the fetched kubeconfig), then deployK3s
// with live lines per host, the controller's steps, the plan in words (with --plan) and a summary per
// host; or, with --uninstall, k3s removed from every host of the inventory.
import { join, resolve } from "node:path";
import { booleanFlag, stringFlag } from "../../config/flags.ts";
import type { DeployerDefinition, DeployReport } from "../cli/command.ts";
import { inventoryStateDir } from "../cli/paths.ts";
import { sshInventoryHelp } from "../cli/inventory_help.ts";
import { summarizeOutcome } from "../cli/summary.ts";
import {
  appliedInventory,
  readAppliedInventory,
  unfinishedRemovals,
  writeAppliedInventory,
} from "./applied_state.ts";
import { deployK3s } from "./deploy.ts";
import { describeK3sPlan } from "./describe.ts";
import { type K3sInventoryInput, parseK3sInventory } from "./inventory.ts";
import { uninstallK3s } from "./uninstall_cluster.ts";

export const k3sDeployerFlags = {
  stateDir: stringFlag({
    name: "state-dir",
    description: "this machine's folder (0700) for the cluster token when the inventory names no " +
      "tokenFile, the record of what was applied (hosts that leave the inventory are removed) and the " +
      "kubeconfig",
    default: "",
    defaultText: "$XDG_DATA_HOME/ctpf/k3sdeployer/<inventory name>-<hash of its path>",
    allowEmpty: true,
  }),
  kubeconfig: stringFlag({
    name: "kubeconfig",
    description: "where the cluster's admin kubeconfig goes (0600), pointing at the first server's " +
      "overlay address",
    default: "",
    defaultText: "<state-dir>/kubeconfig.yaml",
    allowEmpty: true,
  }),
  uninstall: booleanFlag({
    name: "uninstall",
    description: "remove k3s from every host of the inventory (the token and kubeconfig here stay)",
    default: false,
  }),
};

const about = [
  "Installs k3s on the hosts of the inventory over SSH, on the gloeth mesh: the first server initialises",
  "the cluster (embedded etcd), the other servers join it one at a time, then the agents, each node",
  "using its overlay address and interface (node-ip, flannel-iface). The token is made here once (0600)",
  "and only ever copied into a 0600 file; the admin kubeconfig is fetched and pointed at the first",
  "server's overlay address. A second run changes nothing; a new version replaces the binary and keeps",
  "the token; a host removed from the file is uninstalled and deleted from the cluster.",
  "",
  "The inventory (JSON):",
  '  { "cluster": "lab",',
  '    "ssh": { "user": "root", "identityFiles": ["/home/me/.ssh/id_ed25519"] },   (shared defaults)',
  '    "servers": [ { "name": "s1", "ssh": { "address": "192.0.2.10" }, "overlayAddress": "10.200.0.1",',
  '                   "arch": "x86_64" }, … ],',
  '    "agents": [ { "name": "a1", "ssh": { "address": "a1.lan" }, "overlayAddress": "10.200.0.11",',
  '                  "arch": "aarch64" } ],',
  '    "version": "v1.31.4+k3s1",   (downloaded from the k3s release and checked, unless air-gapped)',
  '    "airgap": { "x86_64": { "binary": "/srv/k3s", "images": "/srv/k3s-airgap-images-amd64.tar.zst" } },',
  '    "tokenFile": "/home/me/.config/lab.token",   (optional: see --state-dir)',
  '    "serverArgs": ["--disable=traefik"], "agentArgs": [], "tlsSans": [], "overlayUnit": "gloeth.service" }',
  ...sshInventoryHelp,
  "  Also per host: overlayInterface (default gloeth0).",
  "",
  "Example: k3sdeployer --plan cluster.json, then k3sdeployer cluster.json",
];

export const k3sDeployer: DeployerDefinition<typeof k3sDeployerFlags> = {
  name: "k3sdeployer",
  summary: "installs k3s on the hosts of an inventory over SSH, on the gloeth mesh",
  flags: k3sDeployerFlags,
  about,
  async run({ options, inventory: input, inventoryPath, knownHosts, printer, env }): Promise<DeployReport> {
    const stateDir = options.stateDir
      ? resolve(options.stateDir)
      : inventoryStateDir(env, "k3sdeployer", resolve(inventoryPath), "cluster");
    const inventory = parseK3sInventory({
      ...input,
      tokenFile: input.tokenFile ?? join(stateDir, "cluster-token"),
    } as K3sInventoryInput);
    const appliedPath = join(stateDir, "applied.json");
    const runOptions = {
      knownHosts,
      plan: options.plan,
      concurrency: options.concurrency,
      hostTimeoutMs: options.hostTimeout * 1000,
      onLog: printer.onLog,
    };
    const names = [...inventory.servers, ...inventory.agents].map((host) => host.name);
    if (options.uninstall) {
      printer.hosts(names);
      const outcomes = await uninstallK3s(inventory, runOptions);
      if (!options.plan && outcomes.every((outcome) => outcome.ok)) {
        await Deno.remove(appliedPath).catch((error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
      }
      return {
        plan: options.plan,
        changed: outcomes.some((outcome) => outcome.changed),
        hosts: outcomes.map(summarizeOutcome),
        details: { uninstall: true, stateDir },
      };
    }
    const previous = await readAppliedInventory(appliedPath);
    printer.hosts([
      ...names,
      ...[...previous?.servers ?? [], ...previous?.agents ?? []].map((host) => host.name),
    ]);
    const kubeconfig = options.kubeconfig ? resolve(options.kubeconfig) : join(stateDir, "kubeconfig.yaml");
    const result = await deployK3s(inventory, { ...runOptions, previous, kubeconfigPath: kubeconfig });
    if (!options.plan) {
      // A removed host whose node is still in the cluster, or that failed otherwise, is tried again.
      await writeAppliedInventory(
        appliedPath,
        appliedInventory(inventory, previous, unfinishedRemovals(result)),
      );
    }
    printer.note(
      `controller ${stateDir}${options.plan ? " (plan)" : ""}:`,
      ...result.controller.map((step) =>
        `  ${step.step}: ${step.changed ? (options.plan ? "would change" : "changed") : "unchanged"} ` +
        `(${step.detail})`
      ),
    );
    const planText = describeK3sPlan(result.plan);
    if (options.plan) printer.note("plan:", ...planText.map((line) => `  ${line}`));
    return {
      plan: options.plan,
      changed: result.changed,
      hosts: result.hosts.map(summarizeOutcome),
      details: {
        stateDir,
        kubeconfig,
        controller: result.controller,
        removed: result.removals.map((removal) => removal.host),
        ...(options.plan ? { planText } : {}),
      },
    };
  },
};
