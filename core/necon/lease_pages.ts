import { formatIpv4, type Ipv4Address, parseIpv4 } from "../net/ipv4addr.ts";
import { formatMac } from "../net/mac.ts";
import type { Lease } from "./lease.ts";

export const defaultPageSize = 500, maxPageSize = 5000;

/** Which leases a listing shows; a page token is only valid for the filters it was issued with. */
export interface LeaseFilter {
  subnetId: string;
  includeInactive: boolean;
  /** Case-insensitive text looked for in the address, MAC, host name and client id. */
  match: string;
}

export interface LeasePage {
  leases: Lease[];
  /** Empty on the last page. */
  nextPageToken: string;
  totalSize: number;
}

/** A request the caller got wrong (page size out of range, a token not ours): InvalidArgument. */
export class BadPageRequest extends Error {}

/**
 * One page of leases in address order (Kea's lease4-get-page): those after the token's address that pass
 * the filter. `sortedIps` is every address in ascending order, so a page is a binary search and a walk,
 * not a sort of the whole table.
 */
export function leasePage(
  sortedIps: Uint32Array,
  leaseAt: (ip: Ipv4Address) => Lease | undefined,
  filter: LeaseFilter,
  pageSize: number,
  pageToken: string,
  now: number,
): LeasePage {
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > maxPageSize) {
    throw new BadPageRequest(`page_size must be 0 (for ${defaultPageSize}) to ${maxPageSize}`);
  }
  const size = pageSize || defaultPageSize;
  const fingerprint = fingerprintOf(filter);
  const after = pageToken ? decodeToken(pageToken, fingerprint) : undefined;
  const passes = passing(filter, now);
  let start = 0;
  if (after !== undefined) start = firstAbove(sortedIps, after);
  const leases: Lease[] = [];
  let index = start;
  for (; index < sortedIps.length && leases.length < size; index++) {
    const lease = leaseAt(sortedIps[index]);
    if (lease && passes(lease)) leases.push(lease);
  }
  let more = false;
  for (; index < sortedIps.length && !more; index++) {
    const lease = leaseAt(sortedIps[index]);
    more = lease !== undefined && passes(lease);
  }
  let totalSize = 0;
  for (const ip of sortedIps) {
    const lease = leaseAt(ip);
    if (lease && passes(lease)) totalSize++;
  }
  const last = leases.at(-1);
  return {
    leases,
    nextPageToken: more && last ? encodeToken(last.ip, fingerprint) : "",
    totalSize,
  };
}

function passing(filter: LeaseFilter, now: number): (lease: Lease) => boolean {
  const needle = filter.match.trim().toLowerCase();
  return (lease) =>
    (!filter.subnetId || lease.subnetId === filter.subnetId) &&
    (filter.includeInactive || (lease.state === "bound" && lease.expiresAt > now)) &&
    (!needle || matches(lease, needle));
}

function matches(lease: Lease, needle: string): boolean {
  const clientId = lease.clientKey.startsWith("id:") ? lease.clientKey.slice(3) : "";
  return [formatIpv4(lease.ip), formatMac(lease.mac), lease.hostname ?? "", clientId]
    .some((text) => text.toLowerCase().includes(needle));
}

/** Index of the first address greater than `ip`. */
function firstAbove(sorted: Uint32Array, ip: Ipv4Address): number {
  let low = 0, high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= ip) low = middle + 1;
    else high = middle;
  }
  return low;
}

function fingerprintOf(filter: LeaseFilter): string {
  return JSON.stringify([filter.subnetId, filter.includeInactive, filter.match.trim().toLowerCase()]);
}

// Tokens are opaque to callers: base64url of the last address listed and the filters it was listed with.
function encodeToken(after: Ipv4Address, fingerprint: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ after: formatIpv4(after), filter: fingerprint }));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeToken(token: string, fingerprint: string): Ipv4Address {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length > 1024) throw new Error("not base64url");
    const binary = atob(token.replaceAll("-", "+").replaceAll("_", "/"));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw new BadPageRequest("page_token is not one ListLeases issued");
  }
  const { after, filter } = (parsed ?? {}) as { after?: unknown; filter?: unknown };
  let ip: Ipv4Address;
  try {
    if (typeof after !== "string") throw new Error("no address");
    ip = parseIpv4(after);
  } catch {
    throw new BadPageRequest("page_token is not one ListLeases issued");
  }
  if (filter !== fingerprint) {
    throw new BadPageRequest("page_token was issued for other filters (subnet_id, include_inactive, match)");
  }
  return ip;
}
