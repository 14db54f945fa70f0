/**
 * How nodin hears of machines without importing the services that see them: each source (necon's
 * leases, liwasc's scans, bofied's PXE answers; in process or over their APIs) is adapted to a feed of
 * sightings, one MAC each. The all-in-one adapts the services' hubs (cmd/nodin_feeds.ts); the standalone
 * nodin follows their Connect streams (remote_feeds.ts).
 */
export interface Sighting {
  /** "necon", "liwasc", "bofied". */
  source: string;
  /** Lowercase "aa:bb:cc:dd:ee:ff". */
  mac: string;
  at: number;
  addresses?: string[];
  hostname?: string;
  /** The PXE client architecture type the machine asked to boot as (RFC 4578). */
  pxeArch?: number;
  /** What the source saw, for the node's source list and history ("lease 10.61.0.100 bound"). */
  detail: string;
}

export interface SightingFeed {
  source: string;
  /** Delivers sightings (the source's current state first, then changes) until `signal` aborts. */
  follow(signal: AbortSignal, sight: (sighting: Sighting) => void): Promise<void>;
}
