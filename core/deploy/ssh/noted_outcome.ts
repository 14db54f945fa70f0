// An outcome for a host the run decided not to connect to (the same machine as another host, or one
// that waits on a host that failed): one line in its log, said as it happens, like a reached host's.
import type { SshError } from "./errors.ts";
import type { HostOutcome } from "./run_hosts.ts";
import type { StepResult } from "./target.ts";

export function notedOutcome(
  host: string,
  note: { step?: StepResult; line: string; error?: SshError },
  onLog?: (host: string, line: string) => void,
): HostOutcome<void> {
  const line = `${new Date().toISOString()} ${note.line}`;
  onLog?.(host, line);
  return {
    host,
    ok: note.error === undefined,
    ...(note.error ? { error: note.error } : {}),
    steps: note.step ? [note.step] : [],
    changed: false,
    log: [line],
    durationMs: 0,
  };
}
