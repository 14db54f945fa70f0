import type { TraceUpdate } from "./docker/trace.ts";
import type { BuildRecord } from "./model.ts";

/** A step keeps the end of its output: enough to see why it failed, bounded however chatty it is. */
export const MAX_STEP_LOG = 64 * 1024;

/** Folds a trace update into the build's steps: vertexes by digest (last report wins), logs appended. */
export function mergeSteps(build: Pick<BuildRecord, "steps">, update: TraceUpdate): BuildRecord["steps"] {
  const steps = build.steps.map((step) => ({ ...step }));
  const byDigest = new Map(steps.map((step) => [step.digest, step]));
  for (const vertex of update.vertexes) {
    const step = byDigest.get(vertex.digest);
    if (step) {
      Object.assign(step, {
        name: vertex.name || step.name,
        cached: vertex.cached,
        started: vertex.started ?? step.started,
        completed: vertex.completed ?? step.completed,
        error: vertex.error || step.error,
      });
    } else {
      const added = { ...vertex, log: "" };
      steps.push(added);
      byDigest.set(vertex.digest, added);
    }
  }
  const decoder = new TextDecoder();
  for (const log of update.logs) {
    const step = byDigest.get(log.vertex);
    if (!step) continue;
    step.log = (step.log + decoder.decode(log.data)).slice(-MAX_STEP_LOG);
  }
  return steps;
}
