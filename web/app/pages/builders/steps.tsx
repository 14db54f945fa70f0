import type { Build, BuildStep } from "../../../../core/api/gen/ctpf/v1/builders_pb.ts";
import { formatDuration, msOf } from "../../format.ts";
import { isFinished } from "./api.ts";

function stepStatus(step: BuildStep, buildFinished: boolean): string {
  if (step.error) return "failed";
  if (step.completed) return step.cached ? "cached" : "done";
  return buildFinished ? "stopped" : "running";
}

/**
 * The build's steps as BuildKit reports them, each with its log; the running and the failed ones are
 * open. Their order is the order they started in.
 */
export function StepList({ build }: { build: Build }) {
  const finished = isFinished(build);
  if (build.steps.length === 0) {
    return <p class="muted">{finished ? "No step ran." : "Waiting for the first step…"}</p>;
  }
  return (
    <ol class="steps" aria-label="Steps">
      {build.steps.map((step, i) => {
        const status = stepStatus(step, finished);
        const took = step.started && step.completed
          ? formatDuration(msOf(step.completed) - msOf(step.started))
          : "";
        return (
          <li key={i} data-step={step.name} data-status={status}>
            <details open={status === "running" || status === "failed"}>
              <summary>
                <span class="step-name">{step.name}</span>{" "}
                <span class={`badge step-${status}`} data-field="step-status">{status}</span>{" "}
                {took && <span class="muted">{took}</span>}
              </summary>
              {step.error && <p class="error">{step.error}</p>}
              {step.log ? <pre class="step-log">{step.log}</pre> : <p class="muted">No output.</p>}
            </details>
          </li>
        );
      })}
    </ol>
  );
}
