// The k3s kind: the targets become a k3sdeployer inventory (core/deploy/k3s) over the gloeth mesh: each
// node's overlay address (given by a gloeth deployment on that network) is its node-ip, the targets the
// server selector picks are servers (the first initialises the cluster: the first by name, then the same
// one while it is a server), the others agents.
// Each cluster keeps, in the data directory, its token (0600), the admin kubeconfig fetched from the
// first server, and the inventory it last applied: targets no longer in it are uninstalled and deleted.
import { join } from "node:path";
import {
  appliedInventory,
  readAppliedInventory,
  unfinishedRemovals,
  writeAppliedInventory,
} from "../deploy/k3s/applied_state.ts";
import { deployK3s, type K3sDeployResult } from "../deploy/k3s/deploy.ts";
import { describeK3sPlan } from "../deploy/k3s/describe.ts";
import { type K3sInventory, type K3sInventoryInput, parseK3sInventory } from "../deploy/k3s/inventory.ts";
import { FieldErrors } from "../errors/field_errors.ts";
import { formatCidr, makeCidr, parseCidr } from "../net/ipv4addr.ts";
import {
  acceptGoneHost,
  asTargetErrors,
  blankHost,
  type Deployer,
  type DeployerOutcome,
  pendingHost,
  type PreparedDeployment,
  type PrepareInput,
  type RunContext,
  selected,
  sshInput,
  withOutcome,
} from "./deployer.ts";
import type { HostRecord, K3sOptionsRecord } from "./model.ts";
import type { OverlayAddressRepository } from "./overlay_addresses.ts";
import type { DeployTarget } from "./targets.ts";

export interface K3sDeployerOptions {
  /** Each cluster's folder (token, kubeconfig, last inventory) goes under it. */
  stateRoot: string;
  defaultOverlayNetwork: string;
  addresses: OverlayAddressRepository;
  /**
   * A folder with the user's k3s artifacts (k3s, k3s-arm64, k3s-airgap-images-<amd64|arm64>.tar[.zst|.gz]):
   * nothing is downloaded. Empty: each deployment names a version to download.
   */
  airgapDir: string;
  concurrency: number;
  hostTimeoutMs: number;
}

const BINARIES = { x86_64: "k3s", aarch64: "k3s-arm64" } as const;
const IMAGES = { x86_64: "k3s-airgap-images-amd64", aarch64: "k3s-airgap-images-arm64" } as const;
const IMAGE_SUFFIXES = [".tar.zst", ".tar.gz", ".tar"];

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The air-gap artifacts the folder holds, by architecture. */
function airgapOf(dir: string): K3sInventoryInput["airgap"] {
  if (!dir) return undefined;
  const airgap: Record<string, { binary: string; images: string }> = {};
  for (const arch of ["x86_64", "aarch64"] as const) {
    const binary = join(dir, BINARIES[arch]);
    const images = IMAGE_SUFFIXES.map((suffix) => join(dir, `${IMAGES[arch]}${suffix}`)).find(exists);
    if (exists(binary) && images) airgap[arch] = { binary, images };
  }
  return airgap;
}

/** The hosts' records; exported for its test (outcomes a real cluster rarely gives on demand). */
export function hostsOf(
  result: K3sDeployResult,
  targets: Map<string, DeployTarget>,
  overlay: Map<string, string>,
  previous: K3sInventory | undefined,
): HostRecord[] {
  const before = new Map([...previous?.servers ?? [], ...previous?.agents ?? []].map((h) => [h.name, h]));
  return result.hosts.map((outcome) => {
    const target = targets.get(outcome.host);
    const left = before.get(outcome.host);
    const host = target ? pendingHost(target, overlay.get(target.node.id)) : {
      ...blankHost({
        hostName: outcome.host,
        nodeId: "",
        address: left?.ssh?.address ?? "",
        sshUser: left?.ssh?.user ?? "",
        overlayAddress: left?.overlayAddress ?? "",
        architecture: left?.arch ?? "",
      }),
      removed: true,
    };
    withOutcome(host, outcome);
    acceptGoneHost(host, outcome, "uninstall k3s", "taken as gone");
    return host;
  });
}

export function k3sDeployer(options: K3sDeployerOptions): Deployer {
  return {
    kind: "k3s",
    title: "k3s cluster",
    description: "k3s servers (the first initialises the embedded etcd) and agents joined over the gloeth " +
      "mesh addresses (deploy gloeth to the targets first); the targets matching the server selector are " +
      "servers, the others agents. The targets are the whole cluster: nodes it had before and not now are " +
      "uninstalled and deleted.",
    unavailable: () => Promise.resolve(undefined),
    async prepare(input: PrepareInput): Promise<PreparedDeployment> {
      const given = input.options.k3s ?? {};
      const errors: { field: string; message: string }[] = [];
      let network: ReturnType<typeof parseCidr> | undefined;
      try {
        const parsed = parseCidr(given.overlayNetwork || options.defaultOverlayNetwork);
        network = makeCidr(parsed.network, parsed.prefixLength);
      } catch {
        errors.push({ field: "k3s.overlay_network", message: "the gloeth network, e.g. 10.200.0.0/24" });
      }
      if (errors.length > 0) throw new FieldErrors(errors);
      const k3s: K3sOptionsRecord = {
        serverSelector: given.serverSelector ?? "",
        version: given.version ?? "",
        cluster: given.cluster || "ctpf",
        overlayNetwork: formatCidr(network!),
      };
      const dir = join(options.stateRoot, k3s.cluster);
      const appliedPath = join(dir, "inventory.json");
      // The cluster was made on its first server, and every node joins through it: it stays first while
      // it is a server, whatever names sort before it; a new cluster starts on the first by name.
      const firstBefore = (await readAppliedInventory(appliedPath))?.servers[0]?.name;
      const byName = [...input.targets].sort((a, b) =>
        Number(b.hostName === firstBefore) - Number(a.hostName === firstBefore) ||
        a.hostName.localeCompare(b.hostName)
      );
      const picked = await selected(input, k3s.serverSelector, "k3s.server_selector");
      const servers = k3s.serverSelector.trim()
        ? byName.filter((target) => picked.has(target.node.id))
        : byName.slice(0, 1);
      if (servers.length === 0) {
        throw new FieldErrors([{ field: "k3s.server_selector", message: "matches none of the targets" }]);
      }
      const agents = byName.filter((target) => !servers.includes(target));
      const overlay = options.addresses.overlayAddresses(k3s.overlayNetwork);
      const missing = byName.flatMap((target) => [
        ...overlay.has(target.node.id)
          ? []
          : [`${target.hostName}: no address on ${k3s.overlayNetwork}: deploy gloeth to it first`],
        ...target.architecture
          ? []
          : [`${target.hostName}: architecture unknown: set it on the node (x64 or arm64)`],
      ]);
      if (missing.length > 0) {
        throw new FieldErrors(missing.map((message) => ({ field: "targets", message })));
      }
      const host = (target: DeployTarget) => ({
        name: target.hostName,
        overlayAddress: overlay.get(target.node.id),
        arch: target.architecture,
        ssh: sshInput(input.hostSpec(target)),
      });
      const inventoryInput: K3sInventoryInput = {
        cluster: k3s.cluster,
        servers: servers.map(host),
        agents: agents.map(host),
        tokenFile: join(dir, "token"),
        ...(k3s.version ? { version: k3s.version } : {}),
        airgap: airgapOf(options.airgapDir),
      };
      let inventory: K3sInventory;
      try {
        inventory = parseK3sInventory(inventoryInput);
      } catch (error) {
        throw asTargetErrors(
          error,
          byName,
          { cluster: "k3s.cluster", version: "k3s.version", airgap: "kind" },
          (list, index) => (list === "servers" ? servers : agents)[index],
        );
      }
      return {
        k3s,
        hosts: byName.map((target) => pendingHost(target, overlay.get(target.node.id))),
        async run(context: RunContext): Promise<DeployerOutcome> {
          const previous = await readAppliedInventory(appliedPath);
          await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
          const result = await deployK3s(inventory, {
            knownHosts: context.knownHosts,
            plan: context.plan,
            previous,
            kubeconfigPath: join(dir, "kubeconfig"),
            concurrency: options.concurrency,
            hostTimeoutMs: options.hostTimeoutMs,
            onLog: context.onLog,
          });
          // What the next run compares with (removals): every host of this run, whatever became of it
          // (one added in a run that failed elsewhere is still uninstalled when it leaves), and the removed
          // hosts whose removal did not finish.
          if (!context.plan) {
            await writeAppliedInventory(
              appliedPath,
              appliedInventory(inventory, previous, unfinishedRemovals(result)),
            );
          }
          return {
            controllerSteps: result.controller.map((step) => ({ ...step })),
            hosts: hostsOf(
              result,
              new Map(byName.map((target) => [target.hostName, target])),
              overlay,
              previous,
            ),
            changed: result.changed,
            planDescription: describeK3sPlan(result.plan),
          };
        },
      };
    },
  };
}
