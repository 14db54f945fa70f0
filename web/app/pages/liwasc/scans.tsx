import { useEffect, useState } from "preact/hooks";
import { type Scan, ScanKind, ScanState } from "../../../../core/api/gen/ctpf/v1/liwasc_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { usePolled } from "../../polled.ts";
import { setQuery, useRoute } from "../../route.ts";
import {
  errorText,
  formatDuration,
  formatTime,
  liwascApi,
  msOf,
  scanKindNames,
  scanStateNames,
} from "./api.ts";
import { useScanFeed } from "./live.ts";

const kinds: Record<string, ScanKind> = { node: ScanKind.NODE, port: ScanKind.PORT };

function durationMs(scan: Scan, now: number): number {
  return (scan.finished ? msOf(scan.finished) : now) - msOf(scan.started);
}

function scanColumns(now: number, cancel: (id: string) => void): Column<Scan>[] {
  return [
    { key: "kind", title: "Kind", sortValue: (s) => s.kind, render: (s) => scanKindNames[s.kind] ?? "" },
    {
      key: "target",
      title: "Interface / node",
      sortValue: (s) => s.target,
      render: (s) => s.ports ? `${s.target} (${s.ports})` : s.target,
    },
    {
      key: "started",
      title: "Started",
      sortValue: (s) => msOf(s.started),
      render: (s) => formatTime(s.started),
    },
    {
      key: "duration",
      title: "Duration",
      sortValue: (s) => durationMs(s, now),
      render: (s) => formatDuration(durationMs(s, now)),
    },
    {
      key: "found",
      title: "Found",
      sortValue: (s) => s.found,
      render: (s) =>
        `${s.found} ${s.kind === ScanKind.NODE ? "node" : "open port"}${s.found === 1 ? "" : "s"}`,
    },
    { key: "progress", title: "Probed", render: (s) => `${s.done}/${s.total}` },
    {
      key: "state",
      title: "State",
      sortValue: (s) => scanStateNames[s.state] ?? "",
      render: (s) => (
        <>
          {scanStateNames[s.state]}
          {s.error && <small class="error">{s.error}</small>}
          {s.state === ScanState.RUNNING && (
            <>
              {" "}
              <button type="button" onClick={() => cancel(s.id)}>Cancel</button>
            </>
          )}
        </>
      ),
    },
    { key: "by", title: "Started by", sortValue: (s) => s.startedBy, render: (s) => s.startedBy },
  ];
}

/** Past and running scans (#/liwasc/scans): the kept history, updated live while scans run. */
export function ScansView() {
  const { query } = useRoute();
  const kind = query.get("kind") ?? "";
  const history = usePolled(
    () => liwascApi().listScans({ kind: kinds[kind] ?? ScanKind.UNSPECIFIED, limit: 500 }),
    15_000,
    [kind],
  );
  const nodeScans = useScanFeed("node");
  const portScans = useScanFeed("port");
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // The live feeds are newer than the polled history: their copy of a scan wins.
  const byId = new Map((history?.scans ?? []).map((scan) => [scan.id, scan]));
  for (const feed of [nodeScans.state, portScans.state]) {
    for (const scan of feed.values()) if (!kind || kinds[kind] === scan.kind) byId.set(scan.id, scan);
  }
  const rows = [...byId.values()].sort((a, b) => msOf(b.started) - msOf(a.started));
  const cancel = (id: string) =>
    liwascApi().cancelScan({ id }).then(() => setError(null), (e) => setError(errorText(e)));
  return (
    <>
      <div class="toolbar">
        <label>
          Kind{" "}
          <select
            name="kind"
            value={kind}
            onChange={(e) => setQuery({ kind: e.currentTarget.value }, { replace: true })}
          >
            <option value="">all</option>
            <option value="node">node scans</option>
            <option value="port">port scans</option>
          </select>
        </label>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <SortableTable
        label="Scans"
        name="scans"
        rows={rows}
        columns={scanColumns(now, cancel)}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ "data-scan": s.id, "data-kind": scanKindNames[s.kind] })}
        empty={history === null ? "Loading…" : "No scans kept."}
      />
    </>
  );
}
