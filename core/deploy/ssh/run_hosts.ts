// Runs a task on many hosts at once: a bounded number in parallel, each with its own log, its own
// timeout and its own outcome. One host failing (unreachable, refused, changed key, no systemd) never
// stops the others; the caller gets every host's result.
import { connect } from "./connect.ts";
import type { SshConnection } from "./connection.ts";
import { messageOf, SshError } from "./errors.ts";
import { gatherFacts, type HostFacts, requireSystemd } from "./facts.ts";
import type { HostSpec } from "./host.ts";
import type { KnownHosts } from "./known_hosts.ts";
import { type StepResult, Target } from "./target.ts";

export interface RunHostsOptions {
  knownHosts: KnownHosts;
  /** Hosts worked on at once; default 8. */
  concurrency?: number;
  /** Steps only look and report (dry run). */
  plan?: boolean;
  /** Refuse hosts not booted with systemd (default true). */
  requireSystemd?: boolean;
  /** Everything for one host, connecting included; default 10 min. */
  hostTimeoutMs?: number;
  /** Each log line as it happens (live logs); the lines are also in the result. */
  onLog?: (host: string, line: string) => void;
}

export interface HostOutcome<T> {
  host: string;
  ok: boolean;
  value?: T;
  error?: SshError;
  facts?: HostFacts;
  steps: StepResult[];
  changed: boolean;
  log: string[];
  durationMs: number;
}

const DEFAULT_HOST_TIMEOUT_MS = 600_000;

export async function runOnHosts<T>(
  hosts: HostSpec[],
  task: (target: Target) => Promise<T>,
  options: RunHostsOptions,
): Promise<HostOutcome<T>[]> {
  const names = new Set<string>();
  for (const host of hosts) {
    if (names.has(host.name)) throw new Error(`host ${host.name} is listed twice`);
    names.add(host.name);
  }
  const outcomes: HostOutcome<T>[] = new Array(hosts.length);
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const index = next++;
      outcomes[index] = await runOne(hosts[index], task, options);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, hosts.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

async function runOne<T>(
  spec: HostSpec,
  task: (target: Target) => Promise<T>,
  options: RunHostsOptions,
): Promise<HostOutcome<T>> {
  const started = performance.now();
  const log: string[] = [];
  const write = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    log.push(stamped);
    options.onLog?.(spec.name, stamped);
  };
  const outcome: HostOutcome<T> = {
    host: spec.name,
    ok: false,
    steps: [],
    changed: false,
    log,
    durationMs: 0,
  };
  const timeoutMs = options.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
  let connection: SshConnection | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Closing the connection ends whatever command or transfer was waiting on it.
      connection?.close();
      reject(new SshError("timeout", spec.name, `host did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  let target: Target | undefined;
  try {
    const work = (async () => {
      connection = await connect(spec, { knownHosts: options.knownHosts, log: write });
      const facts = await gatherFacts(connection);
      outcome.facts = facts;
      write(`facts: ${facts.machine} (${facts.arch}), init ${facts.init}`);
      if (options.requireSystemd ?? true) requireSystemd(spec.name, facts);
      target = new Target(connection, facts, options.plan ?? false);
      return await task(target);
    })();
    work.catch(() => {}); // its failure after a timeout has nobody waiting
    outcome.value = await Promise.race([work, timedOut]);
    outcome.ok = true;
  } catch (error) {
    outcome.error = error instanceof SshError
      ? error
      : new SshError("protocol", spec.name, messageOf(error), {
        cause: error,
      });
    write(`failed: ${outcome.error.message}`);
  } finally {
    clearTimeout(timer);
    connection?.close();
    outcome.steps = target?.results ?? [];
    outcome.changed = target?.changed ?? false;
    outcome.durationMs = Math.round(performance.now() - started);
  }
  return outcome;
}
