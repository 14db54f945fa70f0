// One host's plan carried out through the executor, each step changed or unchanged: the release for the
// architecture the host reports, the node's folder (0700) and files, the flags, the unit, and a restart
// when something the running node read at its start changed (ensureUnit only restarts for its own file).
import { SshError } from "../ssh/errors.ts";
import { ensureFile, ensureUnit, run } from "../ssh/steps.ts";
import type { StepResult, Target } from "../ssh/target.ts";
import { ensureCurrentLink, ensureUnpacked } from "./install_release.ts";
import { NODE_DIR } from "./paths.ts";
import type { GloethHostPlan, PlannedFile } from "./plan_types.ts";
import type { ReleaseArchive } from "./release.ts";

export interface ControllerFiles {
  /** A controller file's bytes, or undefined when it does not exist yet (a new node, in a plan). */
  read(path: string): Promise<Uint8Array | undefined>;
  /** An archive's bytes (read once for all hosts of its architecture). */
  archive(archive: ReleaseArchive): Promise<Uint8Array>;
}

export function archiveFor(target: Target, plan: GloethHostPlan): ReleaseArchive {
  const { arch, machine } = target.facts;
  if (plan.arch && plan.arch !== arch) {
    throw new SshError(
      "unsupported",
      plan.host,
      `the inventory says ${plan.arch}, but the host is ${arch} (uname -m: ${machine})`,
    );
  }
  const archive = plan.archives[arch];
  if (!archive) {
    throw new SshError("unsupported", plan.host, `the release has no gloeth archive for ${arch}`);
  }
  return archive;
}

async function ensurePlannedFile(
  target: Target,
  file: PlannedFile,
  files: ControllerFiles,
): Promise<StepResult> {
  const content = file.content.kind === "text" ? file.content.text : await files.read(file.content.path);
  if (content === undefined) {
    if (target.plan) return target.report(`file ${file.path}`, true, "new node: made by node-init");
    throw new Error(`${file.content.kind === "controller-file" ? file.content.path : file.path} is missing`);
  }
  return await ensureFile(target, file.path, content, { mode: file.mode, secret: file.secret });
}

export async function applyHostPlan(
  target: Target,
  plan: GloethHostPlan,
  files: ControllerFiles,
): Promise<void> {
  const archive = archiveFor(target, plan);
  const dependencies: StepResult[] = [];
  dependencies.push(await ensureUnpacked(target, archive, () => files.archive(archive)));
  dependencies.push(await ensureCurrentLink(target, archive));
  await run(target, `folder ${NODE_DIR} 0700`, `install -d -m 700 ${NODE_DIR}`, {
    unless: `[ "$(stat -c %a ${NODE_DIR} 2>/dev/null)" = 700 ]`,
  });
  for (const file of plan.files) dependencies.push(await ensurePlannedFile(target, file, files));
  const unit = await ensureUnit(target, plan.unit, archive.unitText);
  const changed = dependencies.filter((step) => step.changed);
  if (changed.length > 0 && !/started|restarted/.test(unit.detail)) {
    const why = changed.map((step) => step.step.replace(/^(file|release|link) /, "")).join(", ");
    await run(target, `restart ${plan.unit} (changed: ${why})`, `systemctl restart ${plan.unit}`, {
      timeoutMs: 120_000,
    });
  }
}

/** A host that left the mesh, already revoked: its node stops and stays stopped. */
export async function stopRemovedNode(target: Target, unit: string): Promise<void> {
  await run(target, `stop and disable ${unit} (revoked)`, `systemctl disable --now ${unit}`, {
    unless: `! systemctl is-enabled --quiet ${unit} && ! systemctl is-active --quiet ${unit}`,
    timeoutMs: 60_000,
  });
}
