import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStrictEquals,
  assertThrows,
} from "../assert.ts";
import { CommandError, inNetns, run, spawnBackground } from "./process.ts";
import { settlesWithin, waitFor } from "./wait.ts";

Deno.test("process: run returns output and throws CommandError with stderr on failure", async () => {
  const ok = await run(["sh", "-c", "echo out; echo err >&2"]);
  assertStrictEquals(ok.stdout, "out\n");
  assertStrictEquals(ok.stderr, "err\n");
  assertStrictEquals(ok.code, 0);

  await assertRejects(run(["sh", "-c", "echo broken >&2; exit 3"]), (error: unknown) => {
    assert(error instanceof CommandError);
    assertStrictEquals(error.result.code, 3);
    assertMatch(error.message, /^exit 3: sh -c .*\nbroken$/);
    return true;
  });
  const unchecked = await run(["sh", "-c", "exit 4"], { check: false });
  assertStrictEquals(unchecked.code, 4);
  assertStrictEquals((await run(["cat"], { stdin: "piped in" })).stdout, "piped in");
});

Deno.test("process: run kills a command that outlives its timeout", async () => {
  const started = performance.now();
  await assertRejects(run(["sleep", "30"], { timeoutMs: 100 }), /timed out after 100 ms: sleep 30/);
  assert(performance.now() - started < 5_000);
});

Deno.test("process: inNetns wraps a command in ip netns exec, behind private /etc files", () => {
  const argv = inNetns(["ping", "x"], "ns1");
  assertEquals(argv.slice(0, 5), ["ip", "netns", "exec", "ns1", "sh"]);
  assertEquals(argv.slice(-2), ["ping", "x"]);
  assertEquals(inNetns(["ping"]), ["ping"]);
  assertThrows(() => inNetns([]), TypeError);
});

Deno.test("process: stop() escalates to SIGKILL for a process that ignores SIGTERM", async () => {
  const process = spawnBackground(["sh", "-c", "trap '' TERM; echo ready; sleep 30"]);
  await waitFor(() => process.output().includes("ready"), { what: "ready" });
  const status = await process.stop(100);
  assertStrictEquals(status.signal, "SIGKILL");
  assert(process.exited);
});

Deno.test("process: a background process that exits on its own keeps its output", async () => {
  await using process = spawnBackground(["sh", "-c", "echo done"]);
  const status = await process.status;
  assert(status.success);
  await waitFor(() => process.output() === "done\n", { what: "output" });
});

/** True while `pid` runs (not a zombie) in process group `pgid`; a recycled PID in another group is not it. */
function runsInGroup(pid: number, pgid: number): boolean {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its closing parenthesis.
  const [state, _ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return state !== "Z" && Number(pgrp) === pgid;
}

Deno.test("process: stop() kills what the leader forked even after the leader has exited", async () => {
  // The leader exits at once; its child ignores SIGTERM, stays in the group and holds the pipes open.
  const process = spawnBackground(["sh", "-c", "(trap '' TERM; exec sleep 30) & echo $!"]);
  const grandchild = Number(
    await waitFor(() => /^(\d+)\n/.exec(process.output())?.[1], { what: "grandchild PID" }),
  );
  try {
    assert(await settlesWithin(process.status, 5_000), "the leader did not exit");
    assert(process.exited);
    await waitFor(
      () => Deno.readTextFileSync(`/proc/${grandchild}/cmdline`) === "sleep\x0030\x00",
      { what: `PID ${grandchild} to exec sleep` },
    );
    assert(runsInGroup(grandchild, process.pid), "the grandchild is not in the leader's group");

    const started = performance.now();
    const status = await process.stop(100);
    const elapsed = performance.now() - started;
    assert(status.success);
    await waitFor(() => !runsInGroup(grandchild, process.pid), {
      timeoutMs: 2_000,
      what: `grandchild ${grandchild} to die`,
    });
    // Without the group SIGKILL, stop() sat out its 2 s wait for the pipes the grandchild held.
    assert(elapsed < 1_500, `stop() took ${Math.round(elapsed)} ms`);
  } finally {
    if (runsInGroup(grandchild, process.pid)) Deno.kill(grandchild, "SIGKILL");
  }
});
