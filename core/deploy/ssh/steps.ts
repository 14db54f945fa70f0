// Idempotent steps: each looks at the host first and acts only when the host differs, reporting
// changed or unchanged; in a plan (Target.plan) they only look and report what they would change.
import { shellQuote } from "./shell.ts";
import { sha256Hex } from "./connection.ts";
import type { StepResult, Target } from "./target.ts";

export interface FileOptions {
  /** Default 0644. */
  mode?: number;
  /** For the upload; default 60 s. */
  timeoutMs?: number;
  /** Keep the content's digest out of the host's log (a token, a key). */
  secret?: boolean;
}

/** What is at `path` now: its SHA-256 and mode, or nothing. */
async function remoteFile(
  target: Target,
  path: string,
): Promise<{ sha256: string; mode: number } | undefined> {
  const quoted = shellQuote(path);
  const { stdout } = await target.connection.exec(
    `if [ -f ${quoted} ]; then stat -c %a ${quoted} && sha256sum < ${quoted}; fi`,
  );
  const [mode, digest] = stdout.trim().split("\n");
  if (!mode || !digest) return undefined;
  return { mode: parseInt(mode, 8), sha256: digest.split(/\s+/)[0] };
}

/** `path` holds `content` with `mode`; uploaded (and checked) only when it does not. */
export async function ensureFile(
  target: Target,
  path: string,
  content: string | Uint8Array,
  options: FileOptions = {},
): Promise<StepResult> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const mode = options.mode ?? 0o644;
  const step = `file ${path}`;
  const now = await remoteFile(target, path);
  const contentDiffers = now === undefined || now.sha256 !== sha256Hex(bytes);
  if (now && !contentDiffers && now.mode === mode) return target.report(step, false, "already so");
  const detail = now === undefined
    ? "absent"
    : contentDiffers
    ? "content differs"
    : `mode ${now.mode.toString(8)} → ${mode.toString(8)}`;
  if (!target.plan) {
    if (now === undefined) await target.connection.mkdirFor(path);
    if (contentDiffers) {
      await target.connection.upload(path, bytes, {
        mode,
        timeoutMs: options.timeoutMs,
        secret: options.secret,
      });
    } else await target.connection.exec(["chmod", mode.toString(8), path]);
  }
  return target.report(step, true, detail);
}

export interface RunOptions {
  /** A command whose success means there is nothing to do (like Ansible's `creates`, more general). */
  unless?: string;
  timeoutMs?: number;
}

/**
 * Runs `command`, reported as a change. With `unless`, that check runs first (also in a plan) and a
 * success makes the step unchanged.
 */
export async function run(
  target: Target,
  name: string,
  command: string,
  options: RunOptions = {},
): Promise<StepResult> {
  if (options.unless !== undefined) {
    const check = await target.connection.exec(options.unless, {
      check: false,
      timeoutMs: options.timeoutMs,
    });
    if (check.code === 0) return target.report(name, false, "check passed: nothing to do");
  }
  if (!target.plan) await target.connection.exec(command, { timeoutMs: options.timeoutMs });
  return target.report(name, true, options.unless === undefined ? "ran" : "check failed: ran");
}

export interface UnitOptions {
  /** systemctl enable (default true). */
  enable?: boolean;
  /** Running after the step (default true); a changed unit file of a running service restarts it. */
  start?: boolean;
}

/** `systemctl is-enabled` and `is-active` in one round trip. */
async function unitState(target: Target, unit: string): Promise<{ enabled: string; active: string }> {
  const quoted = shellQuote(unit);
  const { stdout } = await target.connection.exec(
    `systemctl is-enabled ${quoted} 2>/dev/null || true; systemctl is-active ${quoted} 2>/dev/null || true`,
  );
  const [enabled = "", active = ""] = stdout.trim().split("\n").map((line) => line.trim());
  return { enabled, active };
}

/** A systemd unit at /etc/systemd/system/NAME with this content, enabled and running (by default). */
export async function ensureUnit(
  target: Target,
  name: string,
  content: string,
  options: UnitOptions = {},
): Promise<StepResult> {
  if (!/^[A-Za-z0-9:_.@-]+\.(service|socket|timer|path|target|mount)$/.test(name)) {
    throw new Error(`not a unit name: ${JSON.stringify(name)}`);
  }
  const enable = options.enable ?? true;
  const start = options.start ?? true;
  const file = await ensureFile(target, `/etc/systemd/system/${name}`, content, { mode: 0o644 });
  const state = await unitState(target, name);
  const actions: string[] = [];
  const commands: string[] = [];
  if (file.changed) {
    actions.push(file.detail === "absent" ? "installed" : "updated");
    commands.push("systemctl daemon-reload");
  }
  if (enable && state.enabled !== "enabled") {
    actions.push("enabled");
    commands.push(`systemctl enable ${shellQuote(name)}`);
  }
  if (start && state.active !== "active") {
    actions.push("started");
    commands.push(`systemctl start ${shellQuote(name)}`);
  } else if (start && file.changed) {
    actions.push("restarted");
    commands.push(`systemctl restart ${shellQuote(name)}`);
  }
  if (!target.plan && commands.length > 0) {
    await target.connection.exec(commands.join(" && "), { timeoutMs: 120_000 });
  }
  // One result for the unit as a whole (its file included), not two.
  target.results.splice(target.results.indexOf(file), 1);
  return target.report(
    `unit ${name}`,
    actions.length > 0,
    actions.length > 0 ? actions.join(", ") : "already so",
  );
}
