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

/**
 * One page of leases from ListLeases (address order, server-side filter), so a table of 60k leases costs
 * the browser one page. Changes to the rows shown arrive on SubscribeToLeases (changes only) and are
 * applied in place; leases added elsewhere show up on refresh or when paging.
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
  const token = tokens[tokens.length - 1];

  useEffect(() => setTokens([""]), [match]);
  useEffect(() => {
    let current = true;
    const offset = (tokens.length - 1) * leasesPerPage;
    neconApi().listLeases({ includeInactive: true, match, pageSize: leasesPerPage, pageToken: token })
      .then((answer) => {
        if (!current) return;
        shown.current = new Set(answer.leases.map((lease) => lease.ip));
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
      if (!message.lease || !shown.current.has(message.lease.ip)) return state;
      state.latest.set(message.lease.ip, message.lease);
      return { latest: state.latest, count: state.count + 1 };
    },
    { latest: new Map(), count: 0 },
  );
  useEffect(() => changes.state.latest.clear(), [page]);

  const rows = (page?.leases ?? []).map((lease) => changes.state.latest.get(lease.ip) ?? lease);
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
