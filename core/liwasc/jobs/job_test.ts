import { assertEquals, assertNotStrictEquals, assertStrictEquals } from "../../testing/assert.ts";
import { type JobKind, type JobRecord, JobRunner, type JobWork } from "./job.ts";

interface TestRecord extends JobRecord {
  state: "running" | "done" | "cancelled" | "failed" | "kept";
  count: number;
}

function testKind(endState: JobKind<TestRecord>["endState"] = (outcome) => outcome) {
  const saved: TestRecord[] = [];
  const published: TestRecord[] = [];
  const failed: TestRecord[] = [];
  const kind: JobKind<TestRecord> = {
    save: (record) => saved.push({ ...record }),
    feed: { publish: (record) => published.push(record) },
    endState,
    onFailed: (record) => failed.push({ ...record }),
  };
  return { kind, saved, published, failed };
}

function start(runner: JobRunner<TestRecord>, work: JobWork<TestRecord>) {
  return runner.start({ record: { id: crypto.randomUUID(), state: "running", started: 1, count: 0 }, work });
}

Deno.test("job: saved and published when started and when done, stamped finished", async () => {
  const { kind, saved, published } = testKind();
  const runner = new JobRunner(kind);
  const { record, ended } = start(runner, (job) => {
    job.record.count = 3;
    job.publish();
    return Promise.resolve();
  });
  assertStrictEquals(record.state, "running");
  assertEquals(runner.running().map((r) => r.id), [record.id]);
  await ended;
  assertEquals(saved.map((r) => r.state), ["running", "done"]);
  assertEquals(published.map((r) => [r.state, r.count]), [["running", 0], ["running", 3], ["done", 3]]);
  assertStrictEquals(typeof published[2].finished, "number");
  assertStrictEquals(published[0].finished, undefined);
  assertEquals(runner.running(), []);
  // Every published record is a copy: later changes do not reach what watchers already have.
  assertNotStrictEquals(published[0], published[1]);
});

Deno.test("job: cancelling aborts the work and it ends cancelled; unknown ids are not running", async () => {
  const { kind, saved } = testKind();
  const runner = new JobRunner(kind);
  const { record, ended } = start(
    runner,
    (job) => new Promise((resolve) => job.signal.addEventListener("abort", () => resolve())),
  );
  assertStrictEquals(runner.cancel("no-such-job"), undefined);
  assertStrictEquals(runner.cancel(record.id)?.id, record.id);
  await ended;
  assertStrictEquals(saved.at(-1)?.state, "cancelled");
  assertEquals(runner.running(), []);
});

Deno.test("job: cancelAll stops every running job", async () => {
  const { kind, saved } = testKind();
  const runner = new JobRunner(kind);
  const untilAborted: JobWork<TestRecord> = (job) =>
    new Promise((resolve) => job.signal.addEventListener("abort", () => resolve()));
  const jobs = [start(runner, untilAborted), start(runner, untilAborted)];
  runner.cancelAll();
  await Promise.all(jobs.map((job) => job.ended));
  assertEquals(saved.filter((r) => r.finished).map((r) => r.state), ["cancelled", "cancelled"]);
});

Deno.test("job: work that throws ends failed with the reason, and the kind hears of it", async () => {
  const { kind, saved, failed } = testKind();
  const runner = new JobRunner(kind);
  const { ended } = start(runner, () => Promise.reject(new Error("socket gone")));
  await ended;
  assertEquals([saved.at(-1)?.state, saved.at(-1)?.error], ["failed", "socket gone"]);
  assertEquals(failed.map((r) => r.error), ["socket gone"]);
});

Deno.test("job: a kind may keep the state its work reached", async () => {
  const { kind, saved } = testKind((outcome, record) => outcome === "failed" ? "failed" : record.state);
  const runner = new JobRunner(kind);
  const { ended } = start(runner, (job) => {
    job.record.state = "kept";
    return Promise.resolve();
  });
  await ended;
  assertStrictEquals(saved.at(-1)?.state, "kept");
});

Deno.test("job: a progress publisher lets one update through per 250 ms; a fresh one publishes at once", async () => {
  const { kind, published } = testKind();
  const runner = new JobRunner(kind);
  const { ended } = start(runner, (job) => {
    const progress = job.progressPublisher();
    for (let i = 0; i < 1000; i++) progress();
    job.progressPublisher()();
    return Promise.resolve();
  });
  await ended;
  // Start, one progress update from each publisher, end.
  assertStrictEquals(published.length, 4);
});
