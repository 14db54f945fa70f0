import { waitFor } from "../harness/mod.ts";
import { readEvents } from "./lab.ts";

/** Waits (20 s at most) for a client hook event matching `pattern`; the timeout error lists them all. */
export async function eventMatching(path: string, pattern: RegExp, what: string): Promise<string> {
  return await waitFor(async () => (await readEvents(path)).find((line) => pattern.test(line)), {
    timeoutMs: 20_000,
    what,
    describe: async () => (await readEvents(path)).join("\n"),
  });
}
