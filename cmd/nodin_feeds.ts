// The all-in-one's sighting feeds: the hosted services' own hubs, adapted to nodin's sightings here so
// that nodin's folder never imports another service's.
import type { Bofied } from "../core/bofied/bofied.ts";
import type { Liwasc } from "../core/liwasc/liwasc.ts";
import type { Necon } from "../core/necon/necon.ts";
import { formatIpv4 } from "../core/net/ipv4addr.ts";
import { formatMac } from "../core/net/mac.ts";
import { hubFeed } from "../core/nodin/hub_feed.ts";
import type { SightingFeed } from "../core/nodin/sightings.ts";
import { bootEventSighting, leaseSighting, scanSighting } from "../core/nodin/source_sightings.ts";

export function inProcessFeeds(services: { necon: Necon; liwasc: Liwasc; bofied: Bofied }): SightingFeed[] {
  const { necon, liwasc, bofied } = services;
  return [
    hubFeed({
      source: "necon",
      changes: necon.leaseEvents,
      snapshot: () => necon.leases.all(),
      toSighting: (lease) =>
        leaseSighting({
          mac: formatMac(lease.mac),
          ip: formatIpv4(lease.ip),
          state: lease.state,
          hostname: lease.hostname ?? "",
          updatedAt: lease.updatedAt,
        }),
    }),
    hubFeed({
      source: "liwasc",
      changes: liwasc.nodes,
      snapshot: () => liwasc.listNodes(),
      toSighting: (node) => scanSighting({ ...node, mac: formatMac(node.mac) }),
    }),
    hubFeed({
      source: "bofied",
      changes: bofied.events,
      replay: 500,
      toSighting: (event) => bootEventSighting({ ...event, time: event.time.getTime() }),
    }),
  ];
}
