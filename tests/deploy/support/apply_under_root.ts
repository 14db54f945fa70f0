// Applies a host's k3s plan to a directory standing for the host's root, for tests that need no SSH:
// files and the unit are written where the plan says (under `root`), each reported changed or unchanged
// by content and mode, as the SSH executor does on a real host. Downloads are refused: tests are
// air-gapped.
import type { K3sHostPlan, PlannedContent } from "../../../core/deploy/k3s/plan_types.ts";

export interface AppliedFile {
  path: string;
  changed: boolean;
}

async function bytesOf(content: PlannedContent): Promise<Uint8Array> {
  switch (content.kind) {
    case "text":
      return new TextEncoder().encode(content.text);
    case "controller-file":
    case "secret-file":
      return await Deno.readFile(content.path);
    case "download":
      throw new Error(`tests do not download (${content.url}): give the inventory air-gap artifacts`);
  }
}

async function ensureFile(root: string, path: string, bytes: Uint8Array, mode: number): Promise<boolean> {
  const target = `${root}${path}`;
  try {
    const [now, info] = await Promise.all([Deno.readFile(target), Deno.stat(target)]);
    const same = now.length === bytes.length && now.every((byte, index) => byte === bytes[index]);
    if (same && (info.mode! & 0o777) === mode) return false;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
  await Deno.writeFile(target, bytes, { mode });
  await Deno.chmod(target, mode);
  return true;
}

export async function applyUnderRoot(root: string, plan: K3sHostPlan): Promise<AppliedFile[]> {
  const applied: AppliedFile[] = [];
  for (const file of plan.files) {
    applied.push({
      path: file.path,
      changed: await ensureFile(root, file.path, await bytesOf(file.content), file.mode),
    });
  }
  const unit = new TextEncoder().encode(plan.unit.text);
  applied.push({ path: plan.unit.path, changed: await ensureFile(root, plan.unit.path, unit, 0o644) });
  return applied;
}

/** The unit's ExecStart as argv, its binary taken under `root`. */
export function execStartUnder(root: string, unitText: string): string[] {
  const line = unitText.split("\n").find((candidate) => candidate.startsWith("ExecStart="));
  if (!line) throw new Error("the unit has no ExecStart");
  const [binary, ...args] = line.slice("ExecStart=".length).split(" ");
  return [`${root}${binary}`, ...args];
}
