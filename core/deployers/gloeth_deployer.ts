// The gloeth kind: the targets become a gloethdeployer inventory (core/deploy/gloeth), one mesh per
// overlay network with its controller folder in the data directory, each node at the overlay address it
// was given the first time; deployGloeth runs it and its outcome becomes the deployment's hosts.
import { join } from "node:path";
import { deployGloeth, type GloethDeployResult } from "../deploy/gloeth/deploy.ts";
import { describeGloethPlan } from "../deploy/gloeth/describe.ts";
import { type GloethInventory, parseGloethInventory } from "../deploy/gloeth/inventory.ts";
import { DEFAULT_LINK_PORT } from "../deploy/gloeth/paths.ts";
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
import type { GloethOptionsRecord, HostRecord } from "./model.ts";
import { assignOverlayAddresses, type OverlayAddressRepository } from "./overlay_addresses.ts";
import type { ReleaseCache } from "./release_cache.ts";
import type { DeployTarget } from "./targets.ts";

export interface GloethDeployerOptions {
  release: ReleaseCache;
  /** How to run gloeth here, the controller (network-init, node-init, revoke). */
  gloethCommand: string[];
  /** Each overlay network's controller folder goes under it (its network key never leaves). */
  stateRoot: string;
  defaultOverlayNetwork: string;
  addresses: OverlayAddressRepository;
  concurrency: number;
  hostTimeoutMs: number;
  meshTimeoutSeconds: number;
}

function checkedOptions(
  input: Partial<GloethOptionsRecord> | undefined,
  defaultNetwork: string,
): GloethOptionsRecord & { network: ReturnType<typeof parseCidr> } {
  const errors: { field: string; message: string }[] = [];
  const text = input?.overlayNetwork || defaultNetwork;
  let network: ReturnType<typeof parseCidr> | undefined;
  try {
    const parsed = parseCidr(text);
    network = makeCidr(parsed.network, parsed.prefixLength);
    if (network.prefixLength > 30) throw new Error("too small");
  } catch {
    errors.push({
      field: "gloeth.overlay_network",
      message: "an IPv4 network, /30 or larger, e.g. 10.200.0.0/24",
    });
  }
  const linkPort = input?.linkPort || DEFAULT_LINK_PORT;
  if (!Number.isInteger(linkPort) || linkPort < 1 || linkPort > 65535) {
    errors.push({ field: "gloeth.link_port", message: "a TCP port (1-65535), or 0 for gloeth's default" });
  }
  if (errors.length > 0) throw new FieldErrors(errors);
  return {
    overlayNetwork: formatCidr(network!),
    linkPort,
    dialOnlySelector: input?.dialOnlySelector ?? "",
    network: network!,
  };
}

function hostsOf(
  result: GloethDeployResult,
  targets: Map<string, DeployTarget>,
  overlay: Map<string, string>,
): HostRecord[] {
  const mesh = new Map(result.mesh.map((outcome) => [outcome.host, outcome]));
  return result.hosts.map((outcome) => {
    const target = targets.get(outcome.host);
    const removal = result.plan.removals.find((entry) => entry.host === outcome.host);
    const host: HostRecord = target ? pendingHost(target, overlay.get(target.node.id)) : {
      ...blankHost({
        hostName: outcome.host,
        nodeId: "",
        address: removal?.ssh.address ?? "",
        sshUser: removal?.ssh.user ?? "",
        overlayAddress: "",
        architecture: "",
      }),
      removed: true,
    };
    withOutcome(host, outcome);
    acceptGoneHost(host, outcome, "stop gloeth.service", "revoked all the same");
    const reach = mesh.get(outcome.host);
    if (reach) {
      host.log.push(...reach.log);
      host.durationMs += reach.durationMs;
      if (!reach.ok) {
        host.state = "failed";
        host.errorKind = "mesh";
        host.errorMessage = `mesh check: ${reach.error?.message}`;
      } else {
        host.mesh = { reached: reach.value!.reached, missing: reach.value!.missing };
        if (reach.value!.missing.length > 0) {
          host.state = "failed";
          host.errorKind = "mesh";
          host.errorMessage = `not reached over the overlay: ${reach.value!.missing.join(", ")}`;
        }
      }
    }
    return host;
  });
}

export function gloethDeployer(options: GloethDeployerOptions): Deployer {
  return {
    kind: "gloeth",
    title: "gloeth mesh",
    description: "gloeth on every target: each node's certificate made here (the network key stays), " +
      "the release for its architecture, its unit; then every node pings every other over the overlay. " +
      "The targets are the whole mesh of their overlay network: nodes deployed there before and not " +
      "targeted now are revoked.",
    async unavailable() {
      try {
        const release = await options.release.read();
        if (Object.keys(release.archives).length === 0) return `${options.release.dir} has no gloeth archive`;
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
    async prepare(input: PrepareInput): Promise<PreparedDeployment> {
      const checked = checkedOptions(input.options.gloeth, options.defaultOverlayNetwork);
      const dialOnly = await selected(input, checked.dialOnlySelector, "gloeth.dial_only_selector");
      const ids = input.targets.map((target) => target.node.id);
      const overlay = assignOverlayAddresses(
        options.addresses,
        checked.overlayNetwork,
        checked.network,
        ids,
        false,
      );
      const stateDir = join(options.stateRoot, checked.overlayNetwork.replace("/", "_"));
      const inventoryWith = (addresses: Map<string, string>): GloethInventory => {
        try {
          return parseGloethInventory({
            stateDir,
            overlayNetwork: checked.overlayNetwork,
            linkPort: checked.linkPort,
            hosts: input.targets.map((target) => {
              return {
                name: target.hostName,
                ssh: sshInput(input.hostSpec(target)),
                overlayAddress: addresses.get(target.node.id),
                listen: !dialOnly.has(target.node.id),
                ...(target.architecture ? { arch: target.architecture } : {}),
              };
            }),
          });
        } catch (error) {
          throw asTargetErrors(error, input.targets, { hosts: "gloeth.dial_only_selector" });
        }
      };
      inventoryWith(overlay);
      const { network: _network, ...gloeth } = checked;
      return {
        gloeth,
        hosts: input.targets.map((target) => pendingHost(target, overlay.get(target.node.id))),
        async run(context: RunContext): Promise<DeployerOutcome> {
          const release = await options.release.read();
          const addresses = context.plan
            ? overlay
            : assignOverlayAddresses(options.addresses, checked.overlayNetwork, checked.network, ids, true);
          const result = await deployGloeth(inventoryWith(addresses), {
            knownHosts: context.knownHosts,
            release,
            gloeth: options.gloethCommand,
            plan: context.plan,
            concurrency: options.concurrency,
            hostTimeoutMs: options.hostTimeoutMs,
            meshTimeoutSeconds: options.meshTimeoutSeconds,
            onLog: context.onLog,
          });
          const byName = new Map(input.targets.map((target) => [target.hostName, target]));
          return {
            controllerSteps: result.controller.map((step) => ({ ...step })),
            hosts: hostsOf(result, byName, addresses),
            changed: result.changed,
            planDescription: describeGloethPlan(result.plan),
          };
        },
      };
    },
  };
}
