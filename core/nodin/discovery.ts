import type { NodeRecord } from "./model.ts";
import { machineOfPxeArch } from "./pxe_arch.ts";
import type { Sighting } from "./sightings.ts";

/** A name for a node nobody named yet: "node-" and the MAC's last three octets. */
export function defaultName(mac: string): string {
  return `node-${mac.replaceAll(":", "").slice(-6)}`;
}

/** How many addresses a node keeps (newest first): enough for a few interfaces, bounded for a noisy LAN. */
const maxAddresses = 8;

export function newNode(id: string, mac: string, at: number): NodeRecord {
  return {
    id,
    name: defaultName(mac),
    labels: {},
    provider: "lab",
    providerRef: "",
    macs: [mac],
    addresses: [],
    architecture: "",
    firmware: "",
    pxeArch: -1,
    desiredPower: { state: "", at, evidence: "not managed", offMode: "soft" },
    observedPower: { state: "unknown", at, evidence: "no power driver" },
    lifecycle: "discovered",
    lifecycleAt: at,
    bootIntent: "",
    enrolledBy: "",
    lastSeen: at,
    sources: [],
    created: at,
    updated: at,
  };
}

/**
 * Folds one sighting into the node (in place) and returns what is worth a history line: a new source, a
 * new address, a name or architecture learnt. A repeat of what the node already says returns nothing,
 * though its last-seen time still moves.
 */
export function applySighting(node: NodeRecord, sighting: Sighting): string[] {
  const news: string[] = [];
  const source = node.sources.find((s) => s.source === sighting.source);
  if (!source) {
    node.sources.push({
      source: sighting.source,
      firstSeen: sighting.at,
      lastSeen: sighting.at,
      detail: sighting.detail,
    });
    news.push(`seen by ${sighting.source}: ${sighting.detail}`);
  } else if (sighting.at >= source.lastSeen) {
    source.lastSeen = sighting.at;
    source.detail = sighting.detail;
  }
  for (const address of sighting.addresses ?? []) {
    if (node.addresses[0] === address) continue;
    const known = node.addresses.includes(address);
    node.addresses = [address, ...node.addresses.filter((a) => a !== address)].slice(0, maxAddresses);
    if (!known) news.push(`address ${address} (${sighting.source})`);
  }
  if (sighting.hostname && node.name === defaultName(node.macs[0]) && sighting.hostname !== node.name) {
    node.name = sighting.hostname;
    news.push(`named ${sighting.hostname} (${sighting.source})`);
  }
  if (sighting.pxeArch !== undefined && sighting.pxeArch !== node.pxeArch) {
    const machine = machineOfPxeArch(sighting.pxeArch);
    node.pxeArch = sighting.pxeArch;
    node.architecture = machine.architecture;
    node.firmware = machine.firmware;
    news.push(
      `boots as ${machine.architecture}${machine.firmware ? ` ${machine.firmware}` : ""} ` +
        `(PXE architecture ${sighting.pxeArch}, ${sighting.source})`,
    );
  }
  node.lastSeen = Math.max(node.lastSeen, sighting.at);
  return news;
}
