import assert from "node:assert/strict";
import { CommandError, inNetns, run, spawnBackground } from "./process.ts";
import { waitFor } from "./wait.ts";

Deno.test("process: run returns output and throws CommandError with stderr on failure", async () => {
  const ok = await run(["sh", "-c", "echo out; echo err >&2"]);
  assert.equal(ok.stdout, "out\n");
  assert.equal(ok.stderr, "err\n");
  assert.equal(ok.code, 0);

  await assert.rejects(run(["sh", "-c", "echo broken >&2; exit 3"]), (error: unknown) => {
    assert.ok(error instanceof CommandError);
    assert.equal(error.result.code, 3);
    assert.match(error.message, /^exit 3: sh -c .*\nbroken$/);
    return true;
  });
  const unchecked = await run(["sh", "-c", "exit 4"], { check: false });
  assert.equal(unchecked.code, 4);
  assert.equal((await run(["cat"], { stdin: "piped in" })).stdout, "piped in");
});

Deno.test("process: run kills a command that outlives its timeout", async () => {
  const started = performance.now();
  await assert.rejects(run(["sleep", "30"], { timeoutMs: 100 }), /timed out after 100 ms: sleep 30/);
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("process: inNetns wraps a command in ip netns exec", () => {
  assert.deepEqual(inNetns(["ping", "x"], "ns1"), ["ip", "netns", "exec", "ns1", "ping", "x"]);
  assert.deepEqual(inNetns(["ping"]), ["ping"]);
  assert.throws(() => inNetns([]), TypeError);
});

Deno.test("process: stop() escalates to SIGKILL for a process that ignores SIGTERM", async () => {
  const process = spawnBackground(["sh", "-c", "trap '' TERM; echo ready; sleep 30"]);
  await waitFor(() => process.output().includes("ready"), { what: "ready" });
  const status = await process.stop(100);
  assert.equal(status.signal, "SIGKILL");
  assert.ok(process.exited);
});

Deno.test("process: a background process that exits on its own keeps its output", async () => {
  await using process = spawnBackground(["sh", "-c", "echo done"]);
  const status = await process.status;
  assert.ok(status.success);
  await waitFor(() => process.output() === "done\n", { what: "output" });
});
