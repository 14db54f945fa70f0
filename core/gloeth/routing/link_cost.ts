// A link's cost in announcements is its round-trip time in whole milliseconds, so shortest paths are the
// fastest paths. It must be at least 1: a zero-cost edge would let two paths tie at every length and
// break the "each hop gets strictly closer" argument that makes the route tables loop-free.

export const MIN_LINK_COST = 1;
export const MAX_LINK_COST = 0xffff;

/** The cost for a link whose RTT is `rttMs`, or 1 while no RTT has been measured yet. */
export function linkCost(rttMs?: number): number {
  if (rttMs === undefined || !Number.isFinite(rttMs)) return MIN_LINK_COST;
  return Math.min(MAX_LINK_COST, Math.max(MIN_LINK_COST, Math.round(rttMs)));
}

export function isLinkCost(cost: number): boolean {
  return Number.isInteger(cost) && cost >= MIN_LINK_COST && cost <= MAX_LINK_COST;
}
