import type { Sighting } from "./sightings.ts";

// What each source says, in the few fields nodin reads, and the sighting it makes. Both the in-process
// adapters (cmd/nodin_feeds.ts) and the API streams (remote_feeds.ts) reduce their items to these shapes,
// so a lease means the same to nodin whether it came from a hub or over the network.

export interface LeaseFacts {
  mac: string;
  ip: string;
  /** bound, released, expired, declined */
  state: string;
  hostname: string;
  updatedAt: number;
}

/** A lease held, released or expired says the machine asked for an address; a declined one says nothing. */
export function leaseSighting(lease: LeaseFacts): Sighting | undefined {
  if (!["bound", "released", "expired"].includes(lease.state)) return undefined;
  return {
    source: "necon",
    mac: lease.mac.toLowerCase(),
    at: lease.updatedAt,
    addresses: lease.state === "bound" ? [lease.ip] : [],
    hostname: lease.hostname || undefined,
    detail: `lease ${lease.ip} ${lease.state}`,
  };
}

export interface ScannedNodeFacts {
  mac: string;
  ips: string[];
  hostname: string;
  online: boolean;
  interface: string;
  lastSeen: number;
}

export function scanSighting(node: ScannedNodeFacts): Sighting {
  return {
    source: "liwasc",
    mac: node.mac.toLowerCase(),
    at: node.lastSeen,
    addresses: node.online ? node.ips : [],
    hostname: node.hostname || undefined,
    detail: `${node.online ? "answers" : "last answered"} ARP on ${node.interface}`,
  };
}

export interface BootEventFacts {
  kind: string;
  time: number;
  message: string;
  fields: Record<string, string>;
}

/** A PXE request bofied answered (or declined): the MAC, and the architecture it boots as when given. */
export function bootEventSighting(event: BootEventFacts): Sighting | undefined {
  if (event.kind !== "pxe" || !event.fields.mac) return undefined;
  const arch = event.fields.arch === undefined || event.fields.arch === ""
    ? undefined
    : Number(event.fields.arch);
  return {
    source: "bofied",
    mac: event.fields.mac.toLowerCase(),
    at: event.time,
    pxeArch: arch !== undefined && Number.isInteger(arch) && arch >= 0 && arch <= 0xffff ? arch : undefined,
    detail: `PXE: ${event.message.replace(/^\S+: /, "")}`,
  };
}
