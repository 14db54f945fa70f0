import { useEffect, useState } from "preact/hooks";
import type { Deployment } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { formatDuration, formatTime, msOf } from "../../format.ts";
import { usePolled } from "../../polled.ts";
import {
  deployApi,
  deploymentHref,
  durationMs,
  hostCountsText,
  isFinished,
  modeText,
  stateNames,
  targetsText,
} from "./api.ts";

/** The start of a deployment, or its creation while it waits. */
const startedMs = (deployment: Deployment) => msOf(deployment.started) || msOf(deployment.created);

function columns(now: number): Column<Deployment>[] {
  return [
    {
      key: "state",
      title: "State",
      sortValue: (d) => stateNames[d.state] ?? "",
      render: (d) => <span class={`badge state-${stateNames[d.state]}`}>{stateNames[d.state]}</span>,
    },
    {
      key: "kind",
      title: "Deployment",
      sortValue: (d) => `${d.kind} ${modeText(d)}`,
      render: (d) => <a href={deploymentHref(d.id)}>{d.kind} {modeText(d)}</a>,
    },
    {
      key: "targets",
      title: "Targets",
      sortValue: targetsText,
      render: (d) => <span class="selector">{targetsText(d)}</span>,
    },
    {
      key: "hosts",
      title: "Hosts",
      sortValue: (d) => d.hosts.length,
      render: (d) => hostCountsText(d.hosts),
    },
    {
      key: "changed",
      title: "Changed",
      sortValue: (d) => Number(d.changed),
      render: (d) => isFinished(d) ? (d.changed ? (d.plan ? "would change" : "changed") : "nothing") : "",
    },
    {
      key: "started",
      title: "Started",
      sortValue: startedMs,
      render: (d) => formatTime(d.started ?? d.created),
    },
    {
      key: "duration",
      title: "Duration",
      sortValue: (d) => durationMs(d, now),
      render: (d) => d.started ? formatDuration(durationMs(d, now)) : "",
    },
    { key: "by", title: "By", sortValue: (d) => d.createdBy, render: (d) => d.createdBy },
  ];
}

/** #/deployers: every kept deployment, newest first, refreshed every 2 s while the view is open. */
export function DeploymentsView() {
  const listed = usePolled(() => deployApi().listDeployments({}), 2000);
  const [now, setNow] = useState(Date.now());
  const running = listed?.deployments.some((d) => !isFinished(d)) ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return (
    <section data-view="deployments" aria-label="Deployments">
      <SortableTable
        label="Deployments"
        name="deployments"
        rows={listed?.deployments ?? []}
        columns={columns(now)}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-deployment": d.id, "data-state": stateNames[d.state] })}
        empty={listed === null
          ? "Loading…"
          : "No deployments yet: pick nodes and a deployer under New deployment."}
      />
    </section>
  );
}
