// Which of a host's activation commands apply, from what its file and unit steps reported: the executor
// runs each one (after its `unless` check, when it has one) and reports it changed when it ran. So a
// second run with nothing changed runs only checks, and reports nothing changed.
import type { K3sHostPlan, PlannedCommand } from "./plan_types.ts";

export interface StepChanges {
  /** The unit file was written. */
  unit: boolean;
  /** Any file or the unit was written. */
  any: boolean;
}

export function activationCommands(plan: K3sHostPlan, changes: StepChanges): PlannedCommand[] {
  return plan.activate.filter((command) => {
    switch (command.when) {
      case "always":
        return true;
      case "unit-changed":
        return changes.unit;
      case "any-changed":
        return changes.any;
      case "none-changed":
        return !changes.any;
    }
  });
}
