/**
 * A cloud machine folded into its node: what the provider says (name, MACs, addresses, labels,
 * architecture, power with evidence) and the account as the node's source. Pure: the caller commits the
 * node and the history lines returned.
 */
import { newNode } from "../discovery.ts";
import type { NodeRecord } from "../model.ts";
import type { CloudAccount } from "./account.ts";
import { cloudBmc, cloudSource } from "./power_driver.ts";
import type { CloudMachine } from "./provider.ts";

export interface MachineLine {
  kind: "sighting" | "power" | "lifecycle";
  message: string;
}

export function newMachineNode(id: string, account: CloudAccount, machine: CloudMachine, at: number) {
  const node: NodeRecord = { ...newNode(id, "", at), macs: [], name: "" };
  node.provider = account.provider;
  node.providerRef = machine.providerRef;
  node.cloudAccount = account.id;
  return node;
}

/**
 * Applies the listing to `node` (in place). `ownerOf` says which node holds a MAC already: a MAC that is
 * another node's stays there (one MAC, one node) and is left out here.
 */
export function applyMachine(
  node: NodeRecord,
  account: CloudAccount,
  machine: CloudMachine,
  at: number,
  ownerOf: (mac: string) => string | undefined,
): MachineLine[] {
  const lines: MachineLine[] = [];
  const source = cloudSource(account);
  const detail = `${machine.providerState} (${Object.values(machine.placement).join(", ")})`;
  const known = node.sources.find((s) => s.source === source);
  if (!known) {
    node.sources.push({ source, firstSeen: at, lastSeen: at, detail });
    lines.push({ kind: "sighting", message: `listed by ${source} as ${machine.providerRef}: ${detail}` });
  } else {
    known.lastSeen = at;
    known.detail = detail;
  }
  if (machine.name && machine.name !== node.name) {
    if (node.name) lines.push({ kind: "sighting", message: `named ${machine.name} (${source})` });
    node.name = machine.name;
  }
  if (!node.name) node.name = machine.providerRef.replaceAll("/", "-");
  const macs = machine.macs.filter((mac) => (ownerOf(mac) ?? node.id) === node.id);
  if (macs.join() !== node.macs.join()) {
    lines.push({ kind: "sighting", message: `MACs ${macs.join(", ") || "none"} (${source})` });
    node.macs = macs;
  }
  if (machine.addresses.join() !== node.addresses.join()) {
    lines.push({
      kind: "sighting",
      message: `addresses ${machine.addresses.join(", ") || "none"} (${source})`,
    });
    node.addresses = [...machine.addresses];
  }
  node.labels = { ...node.labels, ...machine.labels };
  if (machine.architecture) node.architecture = machine.architecture;
  if (node.lifecycle !== "retired") node.bmc = cloudBmc(account, machine.providerRef);
  if (machine.power.state !== node.observedPower.state) {
    const evidence = `${source}: ${machine.power.evidence}`;
    lines.push({
      kind: "power",
      message: `${node.observedPower.state} → ${machine.power.state}: ${evidence}`,
    });
    node.observedPower = { state: machine.power.state, at: machine.power.at.getTime(), evidence };
  }
  node.lastSeen = at;
  return lines;
}

/** The machine is gone from the provider (or deleted through nodin): the node is retired, history kept. */
export function retireMachineNode(node: NodeRecord, why: string, at: number): MachineLine[] {
  const from = node.lifecycle;
  delete node.bmc;
  node.desiredPower = { state: "", at, evidence: why, offMode: node.desiredPower.offMode };
  node.observedPower = { state: "off", at, evidence: why };
  if (from === "retired") return [{ kind: "power", message: why }];
  node.lifecycle = "retired";
  node.lifecycleAt = at;
  return [{ kind: "lifecycle", message: `${from} → retired: ${why}` }];
}
