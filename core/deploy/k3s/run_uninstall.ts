// A host's uninstall steps (uninstall.ts) carried out through the executor: a command that may fail
// reports unchanged when it found nothing to do, a removal only when the path existed, so uninstalling
// a host without k3s changes nothing. In a plan every command is reported as what would run.
import { shellCommand, shellQuote } from "../ssh/shell.ts";
import { run } from "../ssh/steps.ts";
import type { Target } from "../ssh/target.ts";
import type { UninstallStep } from "./plan_types.ts";

const COMMAND_TIMEOUT_MS = 120_000;

/** Long scripts are named by their start in the host's steps; the log has them whole. */
function nameOf(argv: string[]): string {
  const text = argv.join(" ");
  return text.length > 72 ? `${text.slice(0, 71)}…` : text;
}

export async function runUninstall(target: Target, steps: UninstallStep[]): Promise<void> {
  for (const step of steps) {
    if (step.kind === "remove") {
      const path = shellQuote(step.path);
      await run(target, `remove ${step.path}`, `rm -rf ${path}`, {
        unless: `[ ! -e ${path} ] && [ ! -L ${path} ]`,
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      continue;
    }
    const name = nameOf(step.argv);
    const command = shellCommand(step.argv);
    if (target.plan) target.report(name, true, "would run");
    else if (!step.mayFail) await run(target, name, command, { timeoutMs: COMMAND_TIMEOUT_MS });
    else {
      const result = await target.connection.exec(command, { check: false, timeoutMs: COMMAND_TIMEOUT_MS });
      target.report(
        name,
        result.code === 0,
        result.code === 0 ? "ran" : `nothing to do (exit ${result.code})`,
      );
    }
  }
}
