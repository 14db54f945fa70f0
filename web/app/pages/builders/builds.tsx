import { useEffect, useState } from "preact/hooks";
import type { Build } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { formatDuration, formatTime, msOf } from "../../format.ts";
import { usePolled } from "../../polled.ts";
import {
  buildersApi,
  buildHref,
  cacheText,
  durationMs,
  isFinished,
  parametersText,
  stateNames,
} from "./api.ts";

/** The start of a build, or its creation while it waits. */
const startedMs = (build: Build) => msOf(build.started) || msOf(build.created);

function columns(now: number): Column<Build>[] {
  return [
    {
      key: "state",
      title: "State",
      sortValue: (b) => stateNames[b.state] ?? "",
      render: (b) => <span class={`badge state-${stateNames[b.state]}`}>{stateNames[b.state]}</span>,
    },
    {
      key: "kind",
      title: "Builder",
      sortValue: (b) => b.kind,
      render: (b) => <a href={buildHref(b.id)}>{b.kind}</a>,
    },
    {
      key: "parameters",
      title: "Parameters",
      sortValue: (b) => parametersText(b.parameters),
      render: (b) => <span class="parameters">{parametersText(b.parameters)}</span>,
    },
    {
      key: "started",
      title: "Started",
      sortValue: startedMs,
      render: (b) => formatTime(b.started ?? b.created),
    },
    {
      key: "duration",
      title: "Duration",
      sortValue: (b) => durationMs(b, now),
      render: (b) => b.started ? formatDuration(durationMs(b, now)) : "",
    },
    {
      key: "cache",
      title: "Cache",
      sortValue: (b) => b.cachedSteps,
      render: (b) => isFinished(b) ? cacheText(b) : "",
    },
  ];
}

/** #/builders: every kept build, newest first, refreshed every 2 s while the view is open. */
export function BuildsView() {
  const listed = usePolled(() => buildersApi().listBuilds({}), 2000);
  const [now, setNow] = useState(Date.now());
  const running = listed?.builds.some((b) => !isFinished(b)) ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return (
    <section data-view="builds" aria-label="Builds">
      <SortableTable
        label="Builds"
        name="builds"
        rows={listed?.builds ?? []}
        columns={columns(now)}
        rowKey={(b) => b.id}
        rowProps={(b) => ({ "data-build": b.id, "data-state": stateNames[b.state] })}
        empty={listed === null ? "Loading…" : "No builds yet."}
      />
    </section>
  );
}
