import { InputError } from "../errors/input_error.ts";
import type { LifeCycle } from "./model.ts";

export const lifecycles: readonly LifeCycle[] = [
  "discovered",
  "enrolled",
  "provisioning",
  "ready",
  "deployed",
  "retired",
];

/**
 * The steps a node may take. Forward along discovered → enrolled → provisioning → ready → deployed, back
 * where a step failed or was undone (a failed provisioning returns to enrolled, a released node to ready),
 * retired from anywhere, and a retired node only re-enrolled: it never jumps straight back into service.
 */
const legalSteps: Record<LifeCycle, readonly LifeCycle[]> = {
  discovered: ["enrolled", "retired"],
  enrolled: ["provisioning", "ready", "retired"],
  provisioning: ["ready", "enrolled", "retired"],
  ready: ["provisioning", "deployed", "retired"],
  deployed: ["ready", "provisioning", "retired"],
  retired: ["enrolled"],
};

export function isLifeCycle(text: string): text is LifeCycle {
  return (lifecycles as readonly string[]).includes(text);
}

export function canStep(from: LifeCycle, to: LifeCycle): boolean {
  return legalSteps[from].includes(to);
}

/** Refuses an unknown state or an illegal step, naming the field, the step and the ones that are legal. */
export function checkStep(from: LifeCycle, to: string, field = "lifecycle"): LifeCycle {
  if (!isLifeCycle(to)) throw new InputError(field, `"${to}" is not one of ${lifecycles.join(", ")}`);
  if (!canStep(from, to)) {
    throw new InputError(
      field,
      `a ${from} node cannot become ${to} (from ${from}: ${legalSteps[from].join(", ")})`,
      "precondition",
    );
  }
  return to;
}
