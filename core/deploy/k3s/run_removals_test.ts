import { join } from "node:path";
import { assertEquals, assertMatch } from "../../testing/assert.ts";
import { KnownHosts } from "../ssh/known_hosts.ts";
import type { HostOutcome } from "../ssh/run_hosts.ts";
import { unfinishedRemovals } from "./applied_state.ts";
import { parseK3sInventory } from "./inventory.ts";
import { removalsBetween } from "./removal.ts";
import { runRemovals } from "./run_removals.ts";
import { highlyAvailable } from "./testing.ts";

/** A loopback port nothing listens on: connecting to it is refused at once. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("k3s removals with the first server down: a leaving server is left running, an unreachable agent not removed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-k3s-removals-" });
  try {
    const before = parseK3sInventory(highlyAvailable());
    const after = parseK3sInventory(highlyAvailable({
      servers: (highlyAvailable().servers as unknown[]).slice(0, 2),
      agents: (highlyAvailable().agents as unknown[]).slice(0, 1),
    }));
    const removals = removalsBetween(before, after);
    assertEquals(removals.map((removal) => `${removal.host} ${removal.role}`), ["s3 server", "a2 agent"]);
    const port = closedPort();
    const key = join(dir, "id_ed25519");
    await new Deno.Command("ssh-keygen", { args: ["-q", "-t", "ed25519", "-N", "", "-f", key] }).output();
    const spec = (name: string) => ({
      name,
      address: "127.0.0.1",
      port,
      identityFiles: [key],
      agent: false as const,
    });
    const first: HostOutcome<void> = {
      host: "s1",
      ok: false,
      steps: [],
      changed: false,
      log: [],
      durationMs: 0,
    };
    const lines: string[] = [];
    const outcomes = await runRemovals(removals, {
      specs: new Map(["s1", "s3", "a2"].map((name) => [name, spec(name)])),
      first,
      options: {
        knownHosts: new KnownHosts(join(dir, "known_hosts")),
        onLog: (host, line) => lines.push(`${host} ${line}`),
      },
    });
    // a2 could not be reached, and its node could not be deleted either: not removed, whatever its kind.
    assertEquals(outcomes.map((outcome) => [outcome.host, outcome.ok, outcome.error?.kind]), [
      ["s3", false, "skipped"],
      ["a2", false, "skipped"],
    ]);
    assertEquals(
      outcomes[0].error?.message,
      "s3: not deleted from the cluster through s1: left running, so etcd keeps its quorum; the next run " +
        "tries again",
    );
    assertMatch(
      outcomes[1].error!.message,
      /^a2: unreachable \(.+\), but not deleted from the cluster: s1 failed; the next run tries again$/,
    );
    // Both stay in applied.json for the next run: a2's node is still in the cluster.
    assertEquals(unfinishedRemovals({ removals, hosts: outcomes }).map((removal) => removal.host), [
      "s3",
      "a2",
    ]);
    // Nothing was run through the first server, and s3 was never contacted.
    assertEquals(first.steps, []);
    assertEquals(lines.filter((line) => line.startsWith("s3 ")).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("k3s removals: a name renamed on its machine is never reached; with the first server down it stays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-k3s-renamed-" });
  try {
    const port = closedPort();
    const key = join(dir, "id_ed25519");
    await new Deno.Command("ssh-keygen", { args: ["-q", "-t", "ed25519", "-N", "", "-f", key] }).output();
    const ssh = { address: "127.0.0.1", port, identityFiles: [key], agent: false as const };
    const input = highlyAvailable();
    const agents = input.agents as { name: string }[];
    const before = parseK3sInventory({ ...input, agents: agents.map((host) => ({ ...host, ssh })) });
    // a2 is now called a2b, on the same machine; a1 stays.
    const after = parseK3sInventory({
      ...input,
      agents: [{ ...agents[0], ssh: { ...ssh, port: closedPort() } }, { ...agents[1], name: "a2b", ssh }],
    });
    const removals = removalsBetween(before, after);
    assertEquals(removals.map((removal) => [removal.host, removal.sameMachineAs]), [["a2", "a2b"]]);
    const first: HostOutcome<void> = {
      host: "s1",
      ok: false,
      steps: [],
      changed: false,
      log: [],
      durationMs: 0,
    };
    const lines: string[] = [];
    const outcomes = await runRemovals(removals, {
      specs: new Map([["s1", { name: "s1", ...ssh }], ["a2", { name: "a2", ...ssh }]]),
      first,
      options: {
        knownHosts: new KnownHosts(join(dir, "known_hosts")),
        onLog: (host, line) => lines.push(`${host} ${line}`),
      },
    });
    assertEquals(outcomes.map((outcome) => [outcome.host, outcome.ok, outcome.error?.kind]), [
      ["a2", false, "skipped"],
    ]);
    assertEquals(
      outcomes[0].error?.message,
      `a2: the same machine as a2b (127.0.0.1:${port}): k3s left installed, but the old node was not ` +
        "deleted through s1; the next run tries again",
    );
    assertEquals(unfinishedRemovals({ removals, hosts: outcomes }).map((removal) => removal.host), ["a2"]);
    // One line in its log, and no connection tried (an attempt would log "connect ...").
    assertEquals(lines.filter((line) => line.startsWith("a2 ")).length, 1);
    assertEquals(first.steps, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
