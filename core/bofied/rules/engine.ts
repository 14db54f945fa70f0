import type { Logger } from "../../log/logger.ts";
import type { BofiedMetrics } from "../metrics.ts";
import { type BootDecision, type BootFacts, checkDecision } from "./facts.ts";
import { workerUrl } from "./worker_source.ts";

export interface RulesEvent {
  kind: "rules-loaded" | "rules-error";
  message: string;
}

export interface BootRulesOptions {
  path: string;
  log: Logger;
  /** Longest a rules call may run before the sandbox is torn down and the call fails. */
  timeoutMs?: number;
  onEvent?: (event: RulesEvent) => void;
  /** Where each evaluation's result is counted. */
  metrics?: BofiedMetrics;
}

const maxSourceBytes = 256 * 1024;

/** Machines the rules are tried on before a new version is accepted. */
export const sampleFacts: BootFacts[] = [
  {
    mac: "02:00:00:00:00:01",
    arch: { id: 0, name: "x86 BIOS" },
    vendorClass: "PXEClient:Arch:00000:UNDI:002001",
    server: "192.0.2.1",
    httpPort: 80,
  },
  {
    mac: "02:00:00:00:00:02",
    arch: { id: 7, name: "x64 UEFI" },
    vendorClass: "PXEClient:Arch:00007:UNDI:003016",
    server: "192.0.2.1",
    httpPort: 80,
  },
  {
    mac: "02:00:00:00:00:03",
    arch: { id: 0, name: "x86 BIOS" },
    userClass: "iPXE",
    vendorClass: "PXEClient:Arch:00000:UNDI:002001",
    server: "192.0.2.1",
    httpPort: 80,
  },
];

class Sandbox {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (reply: { ok: boolean; answer?: unknown; error?: string }) => void>();
  #nextId = 1;
  #retiring = false;

  constructor() {
    this.#worker = new Worker(workerUrl, {
      type: "module",
      // No file, network, env or subprocess access for operator code.
      deno: { permissions: "none" },
    } as WorkerOptions);
    this.#worker.onmessage = (event) => {
      const reply = event.data as { id: number; ok: boolean; answer?: unknown; error?: string };
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
      this.#endIfRetired();
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      for (const resolve of this.#pending.values()) resolve({ ok: false, error: event.message });
      this.#pending.clear();
    };
  }

  call(message: { source?: string; facts?: BootFacts }, timeoutMs: number) {
    const id = this.#nextId++;
    return new Promise<{ ok: boolean; answer?: unknown; error?: string; timedOut?: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ ok: false, error: `no answer within ${timeoutMs} ms`, timedOut: true });
        this.#endIfRetired();
      }, timeoutMs);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.#worker.postMessage({ id, ...message });
    });
  }

  terminate(): void {
    this.#worker.terminate();
    for (const resolve of this.#pending.values()) resolve({ ok: false, error: "sandbox stopped" });
    this.#pending.clear();
  }

  /**
   * Ends the sandbox once the calls already in it have answered (or timed out): a machine asking while
   * a new rules version is switched in still gets the old version's answer, not "sandbox stopped".
   */
  retire(): void {
    this.#retiring = true;
    this.#endIfRetired();
  }

  #endIfRetired(): void {
    if (this.#retiring && this.#pending.size === 0) this.#worker.terminate();
  }
}

/**
 * The operator's boot rules: a TypeScript/JavaScript module whose default export maps BootFacts to a
 * BootDecision, run in a permissionless Worker with a time limit. A new version (file change) is loaded
 * into a fresh sandbox and tried on sample machines first; if that fails, the error is reported and the
 * last good version stays in force.
 */
export class BootRules {
  #sandbox: Sandbox | undefined;
  #source: string | undefined;
  #watcher: Deno.FsWatcher | undefined;
  #lastError: string | undefined;
  readonly #timeoutMs: number;

  constructor(private readonly options: BootRulesOptions) {
    this.#timeoutMs = options.timeoutMs ?? 250;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  get loaded(): boolean {
    return this.#source !== undefined;
  }

  async start(): Promise<void> {
    await this.reload();
    this.#watch();
  }

  stop(): void {
    this.#watcher?.close();
    this.#sandbox?.terminate();
  }

  /** Reads the file and switches to it if it checks out. */
  async reload(): Promise<boolean> {
    let source: string;
    try {
      source = await Deno.readTextFile(this.options.path);
    } catch (error) {
      return this.#reject(`cannot read ${this.options.path}: ${(error as Error).message}`);
    }
    if (source === this.#source) return true;
    const candidate = new Sandbox();
    const problem = await this.#prepare(candidate, source);
    if (problem) {
      candidate.terminate();
      return this.#reject(problem);
    }
    this.#sandbox?.retire();
    this.#sandbox = candidate;
    this.#source = source;
    this.#lastError = undefined;
    this.options.log.info("boot rules loaded", { path: this.options.path });
    this.options.onEvent?.({ kind: "rules-loaded", message: `loaded ${this.options.path}` });
    return true;
  }

  /** Checks a rules source without installing it (the web editor checks before it saves). */
  async check(source: string): Promise<string | undefined> {
    const sandbox = new Sandbox();
    try {
      return await this.#prepare(sandbox, source);
    } finally {
      sandbox.terminate();
    }
  }

  /** The decision for one machine, or why there is none (no rules, a failing rule, a bad answer). */
  async evaluate(facts: BootFacts): Promise<{ decision?: BootDecision; error?: string }> {
    const metrics = this.options.metrics;
    if (!this.#sandbox || this.#source === undefined) {
      metrics?.ruleEvaluated("no_rules");
      return { error: "no boot rules loaded" };
    }
    const sandbox = this.#sandbox;
    const reply = await sandbox.call({ facts }, this.#timeoutMs);
    if (reply.timedOut) {
      // A stuck rule holds its thread: end that sandbox. It is replaced with a fresh one of the same
      // version unless a reload (or another timed-out call) already replaced it meanwhile.
      sandbox.terminate();
      if (this.#sandbox === sandbox) {
        const fresh = new Sandbox();
        this.#sandbox = fresh;
        await fresh.call({ source: this.#source }, this.#timeoutMs * 4);
      }
    }
    if (!reply.ok) {
      metrics?.ruleEvaluated(reply.timedOut ? "timed_out" : "failed");
      return { error: `boot rules failed: ${reply.error}` };
    }
    const checked = checkDecision(reply.answer);
    metrics?.ruleEvaluated(checked.ok ? "decided" : "failed");
    return checked.ok
      ? { decision: checked.decision }
      : { error: `boot rules answered badly: ${checked.reason}` };
  }

  async #prepare(sandbox: Sandbox, source: string): Promise<string | undefined> {
    if (new TextEncoder().encode(source).length > maxSourceBytes) {
      return `rules file over ${maxSourceBytes} bytes`;
    }
    const loaded = await sandbox.call({ source }, this.#timeoutMs * 8);
    if (!loaded.ok) return `rules do not load: ${loaded.error}`;
    for (const facts of sampleFacts) {
      const reply = await sandbox.call({ facts }, this.#timeoutMs);
      if (!reply.ok) return `rules fail for a ${facts.arch.name} client: ${reply.error}`;
      const checked = checkDecision(reply.answer);
      if (!checked.ok) return `rules answer a ${facts.arch.name} client badly: ${checked.reason}`;
    }
    return undefined;
  }

  #reject(problem: string): false {
    this.#lastError = problem;
    this.options.log.warn("boot rules rejected; the last good version stays", {
      path: this.options.path,
      error: problem,
    });
    this.options.onEvent?.({ kind: "rules-error", message: problem });
    return false;
  }

  #watch(): void {
    const directory = this.options.path.slice(0, this.options.path.lastIndexOf("/")) || "/";
    this.#watcher = Deno.watchFs(directory, { recursive: false });
    (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      for await (const event of this.#watcher!) {
        if (!event.paths.some((path) => path === this.options.path)) continue;
        // Editors write in several steps: reload once things settle.
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload(), 100);
      }
      clearTimeout(timer);
    })().catch((error) => this.options.log.error("rules watcher stopped", { error: String(error) }));
  }
}
