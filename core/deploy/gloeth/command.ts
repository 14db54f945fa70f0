// gloethdeployer as a workstation command (cmd/gloethdeployer.ts): the inventory file, the release folder,
// the controller's gloeth and state folder; then deployGloeth with live lines per host, the controller's
// steps, the plan in words (with --plan), the mesh check, and a summary per host in which a host that
// finished but cannot reach every other node over the overlay counts as failed.
import { join, resolve } from "node:path";
import { integerFlag, stringFlag } from "../../config/flags.ts";
import type { DeployerDefinition, DeployReport } from "../cli/command.ts";
import { ctpfCacheDir, inventoryStateDir } from "../cli/paths.ts";
import { sshInventoryHelp } from "../cli/inventory_help.ts";
import { type HostSummary, markFailed, summarizeOutcome } from "../cli/summary.ts";
import { controllerGloeth } from "./controller_gloeth.ts";
import { deployGloeth, type GloethDeployResult } from "./deploy.ts";
import { describeGloethPlan } from "./describe.ts";
import { parseGloethInventory } from "./inventory.ts";
import { readGloethRelease } from "./release.ts";
import { findReleaseDir, releaseDirCandidates } from "./release_dir.ts";

export const gloethDeployerFlags = {
  release: stringFlag({
    name: "release",
    description: "the gloeth release folder (SHA256SUMS and the archives, as `deno task release` makes it)",
    default: "",
    defaultText: "the folder holding this command's own release archive, else dist/release",
    allowEmpty: true,
  }),
  gloeth: stringFlag({
    name: "gloeth",
    description: "the command that runs gloeth on this machine for network-init, node-init and revoke " +
      "(words split at spaces)",
    default: "",
    defaultText: "the release's gloeth for this machine, unpacked under $XDG_CACHE_HOME/ctpf",
    allowEmpty: true,
  }),
  stateDir: stringFlag({
    name: "state-dir",
    description: "this machine's folder for the network key (never copied to a host) and the nodes' " +
      "files, made 0700; overrides the inventory's stateDir",
    default: "",
    defaultText:
      "the inventory's stateDir, else $XDG_DATA_HOME/ctpf/gloethdeployer/<inventory name>-<hash of its path>",
    allowEmpty: true,
  }),
  meshTimeout: integerFlag({
    name: "mesh-timeout",
    description:
      "seconds each node has, after the run, to reach every other over the overlay; 0 skips the check",
    default: 60,
    min: 0,
    max: 3600,
  }),
};

const about = [
  "Installs gloeth on every host of the inventory over SSH (the release archive for each host's",
  "architecture), makes each node's certificate here (the network key stays in the state folder), writes",
  "the flags and the unit, starts it, and checks that every node reaches every other over the overlay.",
  "A second run changes nothing; a host added is joined; a host removed from the file is revoked.",
  "",
  "The inventory (JSON):",
  '  { "stateDir": "/home/me/.local/share/ctpf/mesh",   (optional: see --state-dir)',
  '    "overlayNetwork": "10.200.0.0/24",',
  '    "ssh": { "user": "root", "identityFiles": ["/home/me/.ssh/id_ed25519"] },   (shared defaults)',
  '    "hosts": [',
  '      { "name": "a", "ssh": { "address": "192.0.2.10" }, "overlayAddress": "10.200.0.1" },',
  '      { "name": "b", "ssh": { "address": "b.lan", "jump": { "address": "bastion" } },',
  '        "overlayAddress": "10.200.0.2", "listen": false } ] }',
  ...sshInventoryHelp,
  "  Also per host: listen (default true), endpoint (address:port the others dial), relay, arch.",
  "",
  "Example: gloethdeployer --plan mesh.json, then gloethdeployer mesh.json",
];

/** Each host's row; a host that finished but failed the mesh check counts as failed. */
export function hostSummaries(result: GloethDeployResult): HostSummary[] {
  const mesh = new Map(result.mesh.map((outcome) => [outcome.host, outcome]));
  return result.hosts.map((outcome) => {
    const summary = summarizeOutcome(outcome);
    const check = mesh.get(outcome.host);
    if (!check) return summary;
    if (!check.ok) return markFailed(summary, "mesh", check.error?.message ?? "mesh check failed");
    const { reached, missing } = check.value!;
    if (missing.length === 0) return summary;
    return markFailed(
      summary,
      "mesh",
      `${outcome.host}: cannot reach ${missing.join(", ")} over the overlay (reached ${
        reached.join(", ") || "none"
      })`,
    );
  });
}

export const gloethDeployer: DeployerDefinition<typeof gloethDeployerFlags> = {
  name: "gloethdeployer",
  summary: "installs the gloeth mesh VPN on the hosts of an inventory over SSH",
  flags: gloethDeployerFlags,
  about,
  async run({ options, inventory: input, inventoryPath, knownHosts, printer, env }): Promise<DeployReport> {
    const stateDir = options.stateDir
      ? resolve(options.stateDir)
      : input.stateDir ?? inventoryStateDir(env, "gloethdeployer", resolve(inventoryPath), "mesh");
    const inventory = parseGloethInventory({ ...input, stateDir });
    const releaseDir = options.release
      ? resolve(options.release)
      : await findReleaseDir(releaseDirCandidates(Deno.mainModule, Deno.cwd()));
    const release = await readGloethRelease(releaseDir);
    // A plan runs no gloeth here: it only looks at what the state folder holds.
    const gloeth = options.gloeth
      ? options.gloeth.trim().split(/\s+/)
      : options.plan
      ? ["gloeth"]
      : await controllerGloeth(release, join(ctpfCacheDir(env), "gloethdeployer"));
    printer.note(
      `gloeth ${release.version} from ${releaseDir} (${Object.keys(release.archives).join(", ")}); ` +
        `controller state ${inventory.stateDir}`,
    );
    printer.hosts(inventory.hosts.map((host) => host.name));
    const result = await deployGloeth(inventory, {
      knownHosts,
      release,
      gloeth,
      plan: options.plan,
      concurrency: options.concurrency,
      hostTimeoutMs: options.hostTimeout * 1000,
      meshCheck: options.meshTimeout > 0,
      meshTimeoutSeconds: options.meshTimeout,
      onLog: printer.onLog,
    });
    printer.note(
      `controller ${inventory.stateDir}${options.plan ? " (plan)" : ""}:`,
      ...result.controller.map((step) =>
        `  ${step.step}: ${
          step.changed ? (options.plan ? "would change" : "changed") : "unchanged"
        } (${step.detail})`
      ),
    );
    const planText = describeGloethPlan(result.plan);
    if (options.plan) printer.note("plan:", ...planText.map((line) => `  ${line}`));
    return {
      plan: options.plan,
      changed: result.changed,
      hosts: hostSummaries(result),
      details: {
        release: { version: release.version, dir: releaseDir },
        stateDir: inventory.stateDir,
        controller: result.controller,
        removed: result.plan.removals.map((removal) => removal.host),
        mesh: result.mesh.map((outcome) => ({
          host: outcome.host,
          ok: outcome.ok,
          reached: outcome.value?.reached ?? [],
          missing: outcome.value?.missing ?? [],
          error: outcome.error?.message,
        })),
        ...(options.plan ? { planText } : {}),
      },
    };
  },
};
