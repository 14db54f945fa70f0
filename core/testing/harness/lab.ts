import { addVeth } from "./links.ts";
import { createNetns, deleteNetns, Netns } from "./netns.ts";
import type { BackgroundProcess } from "./process.ts";

/**
 * Everything one test creates: namespaces (with the links inside them) and background processes.
 * cleanup() stops the processes, then deletes the namespaces, and runs on every exit path when the
 * Lab is used with `await using` or withLab().
 */
export class Lab implements AsyncDisposable {
  readonly #namespaces: Netns[] = [];
  readonly #processes: BackgroundProcess[] = [];
  #cleaned = false;

  get namespaces(): readonly Netns[] {
    return this.#namespaces;
  }

  get processes(): readonly BackgroundProcess[] {
    return this.#processes;
  }

  /** A new namespace with loopback up, deleted on cleanup. */
  async netns(options: { ipv6?: boolean } = {}): Promise<Netns> {
    if (this.#cleaned) throw new Error("lab already cleaned up");
    const name = await createNetns();
    const netns = new Netns(name, (process) => this.#processes.push(process));
    this.#namespaces.push(netns);
    if (options.ipv6 === false) await netns.disableIPv6();
    return netns;
  }

  /** A veth pair: `nameA` in `a`, `nameB` in `b` (the same namespace twice is allowed). */
  async veth(a: Netns, nameA: string, b: Netns, nameB: string): Promise<void> {
    await addVeth(a.name, nameA, b.name, nameB);
  }

  /**
   * Stops all processes (SIGTERM, then SIGKILL) and deletes all namespaces. Keeps going past
   * failures and reports them together; calling it again does nothing.
   */
  async cleanup(): Promise<void> {
    if (this.#cleaned) return;
    this.#cleaned = true;
    const errors: unknown[] = [];
    for (const process of this.#processes.toReversed()) {
      try {
        await process.stop();
      } catch (error) {
        errors.push(error);
      }
    }
    for (const netns of this.#namespaces.toReversed()) {
      try {
        await deleteNetns(netns.name);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, "lab cleanup failed");
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cleanup();
  }
}

/**
 * Runs `body` with a fresh Lab and always cleans it up. When both fail, the body's error is the one
 * thrown (the cleanup error is printed), since it explains the test failure.
 */
export async function withLab<T>(body: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = new Lab();
  let result: T;
  try {
    result = await body(lab);
  } catch (error) {
    try {
      await lab.cleanup();
    } catch (cleanupError) {
      console.error("lab cleanup failed after test error:", cleanupError);
    }
    throw error;
  }
  await lab.cleanup();
  return result;
}
