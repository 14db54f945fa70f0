import { useEffect, useRef, useState } from "preact/hooks";
import type { Lease } from "../../../../core/api/gen/ctpf/v1/necon_pb.ts";
import { useLiveStream } from "../../live.ts";
import { neconApi } from "./config_state.ts";

export const leasesPerPage = 100;

export interface LeasePageView {
  /** The page's leases, with live changes to them applied. */
  rows: Lease[];
  /** Leases passing the filter on all pages, when the page was read. */
  total: number;
  /** 0-based position of the page's first lease among them. */
  offset: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
  /** Reads the current page again (after an action, or to take in new leases). */
  refresh(): void;
  /** Whether the change stream is connected. */
  live: boolean;
  error: string | null;
}

const ipNumber = (ip: string) => ip.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);

/** The server's match filter, for leases that arrive live: address, MAC, host name or client id. */
const matches = (lease: Lease, needle: string) =>
  !needle ||
  [lease.ip, lease.mac, lease.hostname, lease.clientId].some((text) => text.toLowerCase().includes(needle));

/**
 * One page of leases from ListLeases (address order, server-side filter), so a table of 60k leases costs
 * the browser one page. Changes arrive on SubscribeToLeases (changes only): a lease on the page is
 * updated in place, a new one joins the page when its address falls in the page's range (between its
 * first and last address; open-ended at the first and last page) and it passes the filter.
 */
export function useLeasePage(match: string): LeasePageView {
  // tokens[i] reads page i; the first page needs none.
  const [tokens, setTokens] = useState<string[]>([""]);
  const [page, setPage] = useState<
    { leases: Lease[]; total: number; nextToken: string; offset: number } | null
  >(null);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const shown = useRef(new Set<string>());
  // The address range a new lease must fall in to join the page (NaN: open-ended).
  const range = useRef({ low: NaN, high: NaN });
  const token = tokens[tokens.length - 1];

  useEffect(() => setTokens([""]), [match]);
  useEffect(() => {
    let current = true;
    const offset = (tokens.length - 1) * leasesPerPage;
    neconApi().listLeases({ includeInactive: true, match, pageSize: leasesPerPage, pageToken: token })
      .then((answer) => {
        if (!current) return;
        shown.current = new Set(answer.leases.map((lease) => lease.ip));
        const ips = answer.leases.map((lease) => ipNumber(lease.ip));
        range.current = {
          low: offset === 0 || ips.length === 0 ? NaN : ips[0],
          high: answer.nextPageToken ? ips[ips.length - 1] : NaN,
        };
        setPage({ leases: answer.leases, total: answer.totalSize, nextToken: answer.nextPageToken, offset });
        setError(null);
      })
      .catch((e) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => current = false;
  }, [match, token, reads]);

  // The map is changed in place (a busy server sends thousands of changes a second); the counter
  // re-renders. Only leases on the page are kept, so it stays a page's size.
  const changes = useLiveStream<{ lease?: Lease }, { latest: Map<string, Lease>; count: number }>(
    (signal) => neconApi().subscribeToLeases({ changesOnly: true }, { signal }),
    (state, message) => {
      const lease = message.lease;
      if (!lease) return state;
      if (!shown.current.has(lease.ip)) {
        const ip = ipNumber(lease.ip), { low, high } = range.current;
        const inRange = !(ip < low) && !(ip > high);
        if (!inRange || !matches(lease, match.toLowerCase())) return state;
        shown.current.add(lease.ip);
      }
      state.latest.set(lease.ip, lease);
      return { latest: state.latest, count: state.count + 1 };
    },
    { latest: new Map(), count: 0 },
    [match],
  );
  useEffect(() => changes.state.latest.clear(), [page]);

  const listed = page?.leases ?? [];
  const listedIps = new Set(listed.map((lease) => lease.ip));
  const rows = [
    ...listed.map((lease) => changes.state.latest.get(lease.ip) ?? lease),
    ...[...changes.state.latest.values()].filter((lease) => !listedIps.has(lease.ip)),
  ];
  return {
    rows,
    total: page?.total ?? 0,
    // The shown page's, not the one being read: the range always describes the rows.
    offset: page?.offset ?? 0,
    hasNext: Boolean(page?.nextToken),
    hasPrevious: tokens.length > 1,
    next: () => page?.nextToken && setTokens([...tokens, page.nextToken]),
    previous: () => tokens.length > 1 && setTokens(tokens.slice(0, -1)),
    refresh: () => setReads((n) => n + 1),
    live: changes.connected,
    error: error ?? changes.error,
  };
}
