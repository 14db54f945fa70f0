import { useEffect, useState } from "preact/hooks";
import {
  type Deployment,
  DeploymentState,
  type WatchDeploymentResponse,
} from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { errorText, formatDuration, formatTime } from "../../format.ts";
import { useLiveStream } from "../../live.ts";
import { useCanChange } from "../../role.ts";
import {
  deployApi,
  deploymentHref,
  durationMs,
  isFinished,
  modeText,
  stateNames,
  targetsText,
} from "./api.ts";
import { controllerTab, HostLogs } from "./host_logs.tsx";
import { HostResults } from "./host_results.tsx";

/** The deployment and each host's log lines (the controller's under controllerTab) as they arrived. */
interface Live {
  deployment: Deployment | null;
  logs: Map<string, string[]>;
}

/**
 * WatchDeployment folded: its first message is the whole deployment with the logs so far; then each
 * line comes alone and each change comes without logs (the lines kept here stay).
 */
function fold(previous: Live, message: WatchDeploymentResponse): Live {
  const event = message.event;
  if (event.case === "log") {
    const logs = new Map(previous.logs);
    logs.set(event.value.hostName, [...(logs.get(event.value.hostName) ?? []), event.value.line]);
    return { ...previous, logs };
  }
  if (event.case !== "deployment") return previous;
  if (previous.deployment) return { ...previous, deployment: event.value };
  const logs = new Map(previous.logs);
  const earlier = (key: string, lines: string[]) => logs.set(key, [...lines, ...(logs.get(key) ?? [])]);
  earlier(controllerTab, event.value.log);
  for (const host of event.value.hosts) earlier(host.hostName, host.log);
  return { deployment: event.value, logs };
}

/** #/deployers/deployments/<id>: one deployment, live until it finishes: hosts' results, steps and logs. */
export function DeploymentView({ id }: { id: string }) {
  const live = useLiveStream<WatchDeploymentResponse, Live>(
    (signal) => deployApi().watchDeployment({ id }, { signal }),
    fold,
    { deployment: null, logs: new Map() },
    [id],
    { until: (m) => m.event.case === "deployment" && isFinished(m.event.value) },
  );
  const { deployment, logs } = live.state;
  if (!deployment) {
    return live.error ? <p class="error" role="alert">{live.error}</p> : <p class="muted">Loading…</p>;
  }
  return (
    <section
      data-view="deployment"
      data-deployment={deployment.id}
      data-state={stateNames[deployment.state]}
      aria-label="Deployment"
    >
      <h3>{deployment.kind} {modeText(deployment)} {deployment.id.slice(0, 8)}</h3>
      <DeploymentFacts deployment={deployment} />
      <DeploymentActions deployment={deployment} />
      {deployment.plan && deployment.planDescription.length > 0 && (
        <>
          <h3>Plan</h3>
          <pre class="plan" data-field="plan">{deployment.planDescription.join("\n")}</pre>
        </>
      )}
      <h3>Hosts</h3>
      <HostResults deployment={deployment} />
      <h3>
        Logs{" "}
        {!isFinished(deployment) && (
          <span class={live.connected ? "dot on" : "dot"} title={live.connected ? "live" : "reconnecting"} />
        )}
      </h3>
      {deployment.hosts.length || logs.get(controllerTab)?.length
        ? <HostLogs deployment={deployment} logs={logs} />
        : <p class="muted">{isFinished(deployment) ? "No host was contacted." : "Waiting for hosts…"}</p>}
    </section>
  );
}

function DeploymentFacts({ deployment }: { deployment: Deployment }) {
  const [now, setNow] = useState(Date.now());
  const finished = isFinished(deployment);
  useEffect(() => {
    if (finished) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [finished]);
  const options = deployment.kind === "k3s"
    ? [
      ["servers", deployment.k3s?.serverSelector],
      ["version", deployment.k3s?.version],
      ["cluster", deployment.k3s?.cluster],
      ["overlay", deployment.k3s?.overlayNetwork],
    ]
    : [
      ["overlay", deployment.gloeth?.overlayNetwork],
      ["link port", deployment.gloeth?.linkPort ? String(deployment.gloeth.linkPort) : ""],
      ["dial-only", deployment.gloeth?.dialOnlySelector],
    ];
  const changedText = deployment.changed ? (deployment.plan ? "would change" : "changed") : "nothing";
  return (
    <dl class="facts">
      <dt>Deployer</dt>
      <dd data-field="kind">{deployment.kind}</dd>
      <dt>Mode</dt>
      <dd data-field="mode">{deployment.plan ? "plan: only looks, changes nothing" : "run"}</dd>
      <dt>State</dt>
      <dd>
        <span class={`badge state-${stateNames[deployment.state]}`} data-field="state">
          {stateNames[deployment.state]}
        </span>
        {deployment.error && <span class="error" data-field="error">{deployment.error}</span>}
      </dd>
      <dt>Targets</dt>
      <dd data-field="targets">{targetsText(deployment) || "none"}</dd>
      <dt>Options</dt>
      <dd data-field="options">
        {options.filter(([, value]) => value).map(([name, value]) => `${name} ${value}`).join(", ") ||
          "defaults"}
      </dd>
      <dt>Started</dt>
      <dd data-field="started">
        {deployment.started ? formatTime(deployment.started) : `queued at ${formatTime(deployment.created)}`}
        {deployment.createdBy && <span class="muted">by {deployment.createdBy}</span>}
      </dd>
      <dt>Duration</dt>
      <dd data-field="duration">{deployment.started ? formatDuration(durationMs(deployment, now)) : ""}</dd>
      <dt>Changed</dt>
      <dd data-field="changed">{finished ? changedText : ""}</dd>
    </dl>
  );
}

/**
 * Cancel while it waits its turn (a running one finishes: each host within its timeout); a finished plan
 * can be run as planned. None of it for viewers.
 */
function DeploymentActions({ deployment }: { deployment: Deployment }) {
  const canChange = useCanChange();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!canChange) return null;
  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    work().then(() => setError(null), (e) => setError(errorText(e))).finally(() => setBusy(false));
  };
  const runPlanned = () =>
    act(async () => {
      const { deployment: run } = await deployApi().startDeployment({
        kind: deployment.kind,
        labelSelector: deployment.labelSelector,
        nodeIds: deployment.nodeIds,
        plan: false,
        gloeth: deployment.gloeth,
        k3s: deployment.k3s,
      });
      if (run) location.hash = deploymentHref(run.id);
    });
  return (
    <div class="actions" aria-label="Deployment actions">
      {deployment.state === DeploymentState.QUEUED && (
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => deployApi().cancelDeployment({ id: deployment.id }))}
        >
          Cancel
        </button>
      )}
      {isFinished(deployment) && deployment.plan && (
        <button type="button" class="run" disabled={busy} onClick={runPlanned}>Run as planned</button>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}
