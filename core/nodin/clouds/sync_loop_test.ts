import { assert, assertEquals } from "../../testing/assert.ts";
import { SyncLoop } from "./sync_loop.ts";

const timing = { syncMs: 40, maxBackoffMs: 160, callTimeoutMs: 1_000 };

async function runsWithin(ms: number, outcome: () => boolean) {
  const runs: number[] = [];
  const loop = new SyncLoop(() => {
    runs.push(Date.now());
    return Promise.resolve(outcome());
  }, timing);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await loop.stop();
  return { runs, loop };
}

Deno.test("sync loop: an answering account is listed every syncMs; a failing one backs off, bounded", async () => {
  const answering = await runsWithin(1_000, () => true);
  const failing = await runsWithin(1_000, () => false);
  // 40 ms apart: about 25 runs; failing: 80, 160, 160 … apart, about 7.
  assert(answering.runs.length >= 12, `${answering.runs.length} listings of an answering account`);
  assert(failing.runs.length >= 4 && failing.runs.length <= 10, `${failing.runs.length} failing listings`);
  const gaps = failing.runs.slice(1).map((at, i) => at - failing.runs[i]);
  assert(gaps.every((gap) => gap < 400), `no wait beyond maxBackoffMs: ${gaps.join(", ")}`);
});

Deno.test("sync loop: wake lists at once and resets the backoff; a throwing run counts as a failure", async () => {
  let runs = 0;
  const loop = new SyncLoop(() => {
    runs++;
    return Promise.reject(new Error("provider down"));
  }, { ...timing, syncMs: 10_000, maxBackoffMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEquals(runs, 1);
  assert(loop.nextAt > Date.now() + 15_000, "a failure doubles the 10 s wait");
  loop.wake();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEquals(runs, 2);
  await loop.stop();
});
