import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type {
  BmcInput as BmcInputMessage,
  NodeFilter as NodeFilterMessage,
} from "../api/gen/ctpf/v1/nodin_pb.ts";
import type { NodeFilter } from "./filter.ts";
import type { EnrolmentRule, HistoryEntry, NodeRecord } from "./model.ts";
import type { BmcInput } from "./node_input.ts";
import type { DriverFactory } from "./power/driver.ts";

// nodin's records as API messages and back. The credential goes one way only: in.

export function nodeMessage(node: NodeRecord, hasCredential: (ref: string | undefined) => boolean) {
  return {
    id: node.id,
    name: node.name,
    labels: node.labels,
    provider: node.provider,
    providerRef: node.providerRef,
    cloudAccount: node.cloudAccount ?? "",
    macs: node.macs,
    addresses: node.addresses,
    architecture: node.architecture,
    firmware: node.firmware,
    pxeArch: node.pxeArch,
    bmc: node.bmc && {
      driver: node.bmc.driver,
      address: node.bmc.address,
      credentialRef: node.bmc.credentialRef ?? "",
      options: node.bmc.options ?? {},
      hasCredential: hasCredential(node.bmc.credentialRef),
    },
    desiredPower: {
      state: node.desiredPower.state,
      at: timestampFromMs(node.desiredPower.at),
      evidence: node.desiredPower.evidence,
      offMode: node.desiredPower.state === "off" ? node.desiredPower.offMode : "",
    },
    observedPower: {
      state: node.observedPower.state,
      at: timestampFromMs(node.observedPower.at),
      evidence: node.observedPower.evidence,
    },
    lifecycle: node.lifecycle,
    lifecycleChanged: timestampFromMs(node.lifecycleAt),
    bootIntent: node.bootIntent,
    enrolledBy: node.enrolledBy,
    lastSeen: timestampFromMs(node.lastSeen),
    sources: node.sources.map((source) => ({
      source: source.source,
      firstSeen: timestampFromMs(source.firstSeen),
      lastSeen: timestampFromMs(source.lastSeen),
      detail: source.detail,
    })),
    created: timestampFromMs(node.created),
    updated: timestampFromMs(node.updated),
  };
}

export function filterOf(message: NodeFilterMessage | undefined): NodeFilter {
  return {
    labelSelector: message?.labelSelector,
    lifecycles: message?.lifecycles,
    power: message?.power,
    source: message?.source,
    text: message?.text,
  };
}

export function bmcInputOf(message: BmcInputMessage): BmcInput {
  return {
    driver: message.driver,
    address: message.address,
    credentialRef: message.credentialRef || undefined,
    options: message.options,
    credential: message.credential && {
      username: message.credential.username || undefined,
      password: message.credential.password || undefined,
      extra: message.credential.extra,
    },
  };
}

export function historyMessage(entry: HistoryEntry) {
  return {
    seq: BigInt(entry.seq),
    nodeId: entry.nodeId,
    at: timestampFromMs(entry.at),
    kind: entry.kind,
    message: entry.message,
    actor: entry.actor,
  };
}

export function driverMessage(factory: DriverFactory) {
  return {
    driver: factory.driver,
    summary: factory.summary,
    capabilities: {
      status: factory.capabilities.status,
      actions: factory.capabilities.actions,
      bootDevices: factory.capabilities.bootDevices,
    },
  };
}

export const ruleMessage = (rule: EnrolmentRule) => ({ ...rule });
