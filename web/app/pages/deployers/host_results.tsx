import type { Deployment, DeploymentHost } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { type Column, SortableTable } from "../../components/sortable_table.tsx";
import { formatDuration } from "../../format.ts";
import { routeHref, useRoute } from "../../route.ts";
import { hostStateNames, stepsText } from "./api.ts";

/** "reached 2 of 3 (missing 10.99.0.3)": what the mesh check saw from this host. */
function meshText(host: DeploymentHost): string {
  if (!host.mesh) return "";
  const { reached, missing } = host.mesh;
  const total = reached.length + missing.length;
  return `reached ${reached.length} of ${total}` + (missing.length ? ` (missing ${missing.join(", ")})` : "");
}

/** Each host's result: state, steps changed, what it is, its error, the mesh seen from it, and its log. */
export function HostResults({ deployment }: { deployment: Deployment }) {
  const { query } = useRoute();
  const logHref = (host: string) => {
    const next = new URLSearchParams(query);
    next.set("host", host);
    return routeHref(["deployers", "deployments", deployment.id], next);
  };
  const columns: Column<DeploymentHost>[] = [
    {
      key: "host",
      title: "Host",
      sortValue: (h) => h.hostName,
      render: (h) => (
        <>
          <a href={logHref(h.hostName)} title="its steps and log">{h.hostName}</a>
          <small class="muted address">{h.sshUser ? `${h.sshUser}@` : ""}{h.address}</small>
        </>
      ),
    },
    {
      key: "result",
      title: "Result",
      sortValue: (h) => hostStateNames[h.state] ?? "",
      render: (h) => (
        <span class={`badge host-${hostStateNames[h.state]}`} data-field="host-state">
          {hostStateNames[h.state]}
        </span>
      ),
    },
    { key: "steps", title: "Steps", render: (h) => stepsText(h, deployment.plan) },
    {
      key: "arch",
      title: "Machine",
      sortValue: (h) => h.architecture,
      render: (h) => h.architecture,
    },
    {
      key: "overlay",
      title: "Overlay",
      sortValue: (h) => h.overlayAddress,
      render: (h) => (h.removed ? "removed from the mesh" : h.overlayAddress),
    },
    {
      key: "mesh",
      title: "Mesh",
      render: (h) => <span class={h.mesh?.missing.length ? "error" : ""}>{meshText(h)}</span>,
    },
    {
      key: "problem",
      title: "Error",
      render: (h) =>
        h.errorKind || h.errorMessage
          ? (
            <span class="error">
              {h.errorKind && <strong data-field="error-kind">{h.errorKind}</strong>} {h.errorMessage}
            </span>
          )
          : "",
    },
    {
      key: "duration",
      title: "Took",
      sortValue: (h) => Number(h.durationMs),
      render: (h) => (h.durationMs > 0n ? formatDuration(Number(h.durationMs)) : ""),
    },
  ];
  return (
    <SortableTable
      label="Hosts"
      name="hosts"
      rows={deployment.hosts}
      columns={columns}
      rowKey={(h) => h.hostName}
      rowProps={(h) => ({ "data-host": h.hostName, "data-state": hostStateNames[h.state] })}
      empty="No hosts yet."
    />
  );
}
