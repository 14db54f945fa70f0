// One host's k3s plan carried out through the executor, each step changed or unchanged: the files in
// the plan's order (the binary and images, the token as an upload's content only, config.yaml), the
// installed binary's version checked before anything starts it, the unit file, then the activation
// commands that what changed calls for (activationCommands): a second run with nothing changed only
// checks, and restarts nothing.
import { SshError } from "../ssh/errors.ts";
import { shellCommand } from "../ssh/shell.ts";
import { ensureFile, run } from "../ssh/steps.ts";
import type { StepResult, Target } from "../ssh/target.ts";
import { activationCommands } from "./activation.ts";
import type { ControllerContent } from "./content.ts";
import type { K3sHostPlan, PlannedCommand, PlannedFile } from "./plan_types.ts";

/** Uploads of a k3s binary or image archive (some hundreds of MiB) may take a while. */
const UPLOAD_TIMEOUT_MS = 600_000;
/** A server's start returns once its API is up (Type=notify): joining an etcd cluster takes time. */
const ACTIVATION_TIMEOUT_MS = 300_000;

function requireArchitecture(target: Target, plan: K3sHostPlan): void {
  const { arch, machine } = target.facts;
  if (arch !== plan.arch) {
    throw new SshError(
      "unsupported",
      plan.host,
      `the inventory says ${plan.arch}, but the host is ${arch} (uname -m: ${machine})`,
    );
  }
}

async function ensurePlannedFile(
  target: Target,
  file: PlannedFile,
  content: ControllerContent,
): Promise<StepResult> {
  let bytes: Uint8Array;
  try {
    bytes = await content.bytes(file.content);
  } catch (error) {
    // In a plan the controller's token may not exist yet: the run makes it before any host.
    if (target.plan && file.content.kind === "secret-file" && error instanceof Deno.errors.NotFound) {
      return target.report(`file ${file.path}`, true, "a new cluster token, made on the controller first");
    }
    throw error;
  }
  return await ensureFile(target, file.path, bytes, {
    mode: file.mode,
    secret: file.secret,
    timeoutMs: UPLOAD_TIMEOUT_MS,
  });
}

/** The installed binary must be the inventory's release, checked before the unit can start it. */
async function checkVersion(target: Target, plan: K3sHostPlan, binaryChanged: boolean): Promise<void> {
  const check = plan.versionCheck;
  // In a plan a new binary is not on the host yet: there is nothing to ask.
  if (!check || (target.plan && binaryChanged)) return;
  const result = await target.connection.exec(shellCommand(check.argv), { check: false, timeoutMs: 30_000 });
  const said = result.stdout.split("\n").find((line) => line.startsWith("k3s version")) ?? "";
  if (result.code !== 0 || said.split(" ").slice(0, 3).join(" ") !== check.expect) {
    throw new SshError(
      "command",
      plan.host,
      `${check.argv.join(" ")} says ${JSON.stringify(said || result.stderr.trim() || "nothing")}, ` +
        `not ${check.expect}: the binary is not the inventory's release`,
    );
  }
  target.report(`version of ${check.argv[0]}`, false, said);
}

function stepName(command: PlannedCommand, changedFiles: string[]): string {
  const name = command.argv.join(" ");
  return command.when === "any-changed" ? `${name} (changed: ${changedFiles.join(", ")})` : name;
}

export async function applyK3sHost(
  target: Target,
  plan: K3sHostPlan,
  content: ControllerContent,
): Promise<void> {
  requireArchitecture(target, plan);
  const files: StepResult[] = [];
  for (const file of plan.files) files.push(await ensurePlannedFile(target, file, content));
  const binary = plan.versionCheck?.argv[0];
  await checkVersion(target, plan, files.some((step) => step.changed && step.step === `file ${binary}`));
  const unit = await ensureFile(target, plan.unit.path, plan.unit.text, { mode: 0o644 });
  const changed = [...files, unit].filter((step) => step.changed);
  const commands = activationCommands(plan, { unit: unit.changed, any: changed.length > 0 });
  const changedFiles = changed.map((step) => step.step.replace(/^file /, ""));
  for (const command of commands) {
    await run(target, stepName(command, changedFiles), shellCommand(command.argv), {
      unless: command.unless ? shellCommand(command.unless) : undefined,
      timeoutMs: ACTIVATION_TIMEOUT_MS,
    });
  }
}
