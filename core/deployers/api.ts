import { type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  DeployHostState,
  DeploymentState,
  DeployService,
  type WatchDeploymentResponseSchema,
} from "../api/gen/ctpf/v1/deploy_pb.ts";
import { principalKey } from "../api/context.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { snapshotThenChanges } from "../stream/snapshot_then_changes.ts";
import type { Deployers, DeploymentEvent } from "./deployers.ts";
import { type DeploymentRecord, finishedStates } from "./model.ts";
import type { DeployTarget } from "./targets.ts";

/** What the settings show besides the deployers: the key, the known hosts, the defaults. */
export interface DeploySettingsView {
  publicKey: string;
  fingerprint: string;
  knownHosts(): { host: string; fingerprints: string[] }[];
  forgetHostKey(host: string): number;
  defaultSshUser: string;
  sshUserLabel: string;
  defaultOverlayNetwork: string;
  release(): Promise<{ version: string; architectures: string[]; error: string }>;
}

const states = {
  queued: DeploymentState.QUEUED,
  running: DeploymentState.RUNNING,
  succeeded: DeploymentState.SUCCEEDED,
  failed: DeploymentState.FAILED,
  cancelled: DeploymentState.CANCELLED,
} as const;

const hostStates = {
  pending: DeployHostState.PENDING,
  running: DeployHostState.RUNNING,
  ok: DeployHostState.OK,
  failed: DeployHostState.FAILED,
  cancelled: DeployHostState.CANCELLED,
} as const;

const optionalTime = (ms: number | undefined) => ms === undefined ? undefined : timestampFromMs(ms);

function deploymentMessage(deployment: DeploymentRecord) {
  return {
    id: deployment.id,
    kind: deployment.kind,
    plan: deployment.plan,
    state: states[deployment.state],
    labelSelector: deployment.labelSelector,
    nodeIds: deployment.nodeIds,
    gloeth: deployment.gloeth,
    k3s: deployment.k3s,
    created: timestampFromMs(deployment.createdAt),
    started: optionalTime(deployment.startedAt),
    finished: optionalTime(deployment.finishedAt),
    createdBy: deployment.createdBy,
    error: deployment.error,
    controllerSteps: deployment.controllerSteps,
    hosts: deployment.hosts.map((host) => ({
      ...host,
      state: hostStates[host.state],
      durationMs: BigInt(host.durationMs),
    })),
    changed: deployment.changed,
    planDescription: deployment.planDescription,
    log: deployment.log,
  };
}

function targetMessage(target: DeployTarget) {
  return {
    nodeId: target.node.id,
    nodeName: target.node.name,
    hostName: target.hostName,
    address: target.address,
    architecture: target.architecture,
    labels: target.node.labels,
    provider: target.node.provider,
    lifecycle: target.node.lifecycle,
    sshUser: target.sshUser,
    usable: target.usable,
    unusableReason: target.unusableReason,
  };
}

const callerOf = (context: HandlerContext) => context.values.get(principalKey)?.name ?? "anonymous";

type WatchMessage = MessageInitShape<typeof WatchDeploymentResponseSchema>;

function eventMessage(event: DeploymentEvent): WatchMessage {
  return event.deployment
    ? { event: { case: "deployment", value: deploymentMessage(event.deployment) } }
    : { event: { case: "log", value: event.log! } };
}

export function registerDeployersApi(
  router: ConnectRouter,
  deployers: Deployers,
  settings: DeploySettingsView,
): void {
  router.service(DeployService, {
    async getDeploySettings() {
      const release = await settings.release();
      return {
        sshPublicKey: settings.publicKey,
        sshPublicKeyFingerprint: settings.fingerprint,
        knownHosts: settings.knownHosts(),
        kinds: await Promise.all([...deployers.kinds.values()].map(async (deployer) => {
          const unavailable = await deployer.unavailable();
          return {
            name: deployer.kind,
            title: deployer.title,
            description: deployer.description,
            available: unavailable === undefined,
            unavailableReason: unavailable ?? "",
          };
        })),
        defaultSshUser: settings.defaultSshUser,
        sshUserLabel: settings.sshUserLabel,
        defaultOverlayNetwork: settings.defaultOverlayNetwork,
        releaseVersion: release.version,
        releaseArchitectures: release.architectures,
        releaseError: release.error,
      };
    },
    async listTargets(request) {
      return { targets: (await deployers.targets(request.labelSelector)).map(targetMessage) };
    },
    async startDeployment(request, context) {
      const deployment = await deployers.create({
        kind: request.kind,
        labelSelector: request.labelSelector,
        nodeIds: request.nodeIds,
        plan: request.plan,
        gloeth: request.gloeth,
        k3s: request.k3s,
      }, callerOf(context));
      return { deployment: deploymentMessage(deployment) };
    },
    listDeployments() {
      return {
        deployments: deployers.list().map(deploymentMessage),
      };
    },
    getDeployment(request) {
      return { deployment: deploymentMessage(deployers.get(request.id)) };
    },
    async *watchDeployment(request, context): AsyncGenerator<WatchMessage> {
      const id = deployers.get(request.id).id;
      for await (
        const message of snapshotThenChanges<DeploymentEvent, DeploymentEvent>({
          changes: deployers.events,
          signal: context.signal,
          snapshot: () => [{ id, deployment: deployers.get(id) }],
          filter: (event) => event.id === id,
          toMessage: (event) => event,
        })
      ) {
        yield eventMessage(message);
        // A finished deployment does not change again: the stream is done.
        if (message.deployment && finishedStates.includes(message.deployment.state)) return;
      }
    },
    cancelDeployment(request) {
      deployers.cancel(request.id);
      return {};
    },
    forgetHostKey(request) {
      return { removed: settings.forgetHostKey(request.host) };
    },
  });
}
