import { useEffect, useRef } from "preact/hooks";
import type { Deployment, DeploymentStep } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { DeployHostState } from "../../../../core/api/gen/ctpf/v1/deploy_pb.ts";
import { setQuery, useRoute } from "../../route.ts";
import { hostStateNames } from "./api.ts";

/** The tab of the deployment's own lines (the controller's steps: network, certificates, revocations). */
export const controllerTab = "";

/** The tab shown when the URL names none: the first failed host, else the first host. */
function defaultTab(deployment: Deployment): string {
  const failed = deployment.hosts.find((h) => h.state === DeployHostState.FAILED);
  return (failed ?? deployment.hosts[0])?.hostName ?? controllerTab;
}

/**
 * One tab per host (and one for the controller when it has something to say), each with the host's
 * steps and its log as the lines arrive. The chosen tab is in the URL (?host=…).
 */
export function HostLogs(props: { deployment: Deployment; logs: Map<string, string[]> }) {
  const { deployment, logs } = props;
  const wanted = useRoute().query.get("host");
  const hasController = (logs.get(controllerTab)?.length ?? 0) > 0 || deployment.controllerSteps.length > 0;
  const tabs = [
    ...(hasController ? [{ key: controllerTab, title: "controller", state: "" }] : []),
    ...deployment.hosts.map((h) => ({ key: h.hostName, title: h.hostName, state: hostStateNames[h.state] })),
  ];
  const current = tabs.find((t) => t.key === wanted)?.key ?? defaultTab(deployment);
  const host = deployment.hosts.find((h) => h.hostName === current);
  const steps = host ? host.steps : deployment.controllerSteps;
  return (
    <div class="host-logs">
      <div class="tabs" role="tablist" aria-label="Hosts">
        {tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            data-host={tab.key}
            aria-selected={tab.key === current}
            onClick={() => setQuery({ host: tab.key }, { replace: true })}
          >
            {tab.title} {tab.state && <span class={`badge host-${tab.state}`}>{tab.state}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" data-host={current} aria-label={`${current || "controller"} log`}>
        <StepTable steps={steps} plan={deployment.plan} />
        <LogLines lines={logs.get(current) ?? []} />
      </div>
    </div>
  );
}

function StepTable({ steps, plan }: { steps: DeploymentStep[]; plan: boolean }) {
  if (!steps.length) return null;
  return (
    <ol class="deploy-steps" aria-label="Steps">
      {steps.map((step, i) => (
        <li key={i} data-step={step.step} data-changed={String(step.changed)}>
          <span class={step.changed ? "badge changed" : "badge"}>
            {step.changed ? (plan ? "would change" : "changed") : "unchanged"}
          </span>{" "}
          <span class="step-name">{step.step}</span> <span class="muted">{step.detail}</span>
        </li>
      ))}
    </ol>
  );
}

/** The log, kept scrolled to its end while the reader is there (scrolling up stops the following). */
function LogLines({ lines }: { lines: string[] }) {
  const box = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  useEffect(() => {
    if (box.current && following.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  if (!lines.length) return <p class="muted">No output yet.</p>;
  return (
    <pre
      class="host-log"
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
      }}
    >{lines.join("\n")}</pre>
  );
}
