import type { PowerHost, PowerTiming } from "./worker.ts";
import { PowerWorker } from "./worker.ts";

/** Keeps one PowerWorker per node that has a BMC reference, started and stopped as nodes change. */
export class PowerLoop {
  readonly #workers = new Map<string, PowerWorker>();
  #running = false;

  constructor(private readonly host: PowerHost, private readonly timing: PowerTiming) {}

  start(ids: Iterable<string>): void {
    this.#running = true;
    for (const id of ids) this.sync(id);
  }

  /** The node's BMC or desired power changed (or it appeared, or went): start, wake or let go its worker. */
  sync(id: string): void {
    if (!this.#running) return;
    const worker = this.#workers.get(id);
    if (!this.host.target(id)) {
      // The worker sees the target gone at its next tick and ends; wake it so that is now.
      worker?.wake();
      this.#workers.delete(id);
      return;
    }
    if (worker) worker.wake();
    else this.#spawn(id);
  }

  cycle(id: string): void {
    this.#workers.get(id)?.cycle();
  }

  get size(): number {
    return this.#workers.size;
  }

  #spawn(id: string): void {
    const worker = new PowerWorker(id, this.host, this.timing);
    this.#workers.set(id, worker);
    // A worker ends by itself once its node or BMC is gone; forget it then (unless already replaced).
    void worker.done.finally(() => {
      if (this.#workers.get(id) === worker) this.#workers.delete(id);
    });
  }

  async stop(): Promise<void> {
    this.#running = false;
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}
