// deployGloeth's choice of hosts to reach, as a plan on loopback: a removed name on the machine of a
// current host is never connected to (stopping its unit would stop the new name's gloeth).
import { join } from "node:path";
import { assertEquals, assertMatch } from "../../testing/assert.ts";
import { KnownHosts } from "../ssh/known_hosts.ts";
import { deployGloeth } from "./deploy.ts";
import { parseGloethInventory } from "./inventory.ts";

/** A loopback port nothing listens on: connecting to it is refused at once. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("gloeth deploy (plan): a renamed host's old name is revoked but its machine is not reached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-gloeth-renamed-" });
  try {
    const [samePort, gonePort] = [closedPort(), closedPort()];
    const key = join(dir, "id_ed25519");
    await new Deno.Command("ssh-keygen", { args: ["-q", "-t", "ed25519", "-N", "", "-f", key] }).output();
    const stateDir = join(dir, "state");
    await Deno.mkdir(join(stateDir, "nodes"), { recursive: true });
    const record = (name: string, port: number) =>
      Deno.writeTextFile(
        join(stateDir, "nodes", `${name}.json`),
        JSON.stringify({
          name,
          serial: "9",
          ssh: { name, address: "127.0.0.1", port, identityFiles: [key], agent: false },
          revoked: false,
        }),
      );
    await record("old", samePort);
    await record("gone", gonePort);
    const inventory = parseGloethInventory({
      stateDir,
      overlayNetwork: "10.200.0.0/24",
      ssh: { identityFiles: [key], agent: false, connectTimeoutMs: 5_000 },
      hosts: [{ name: "new", ssh: { address: "127.0.0.1", port: samePort }, overlayAddress: "10.200.0.1" }],
    });
    const lines: string[] = [];
    const result = await deployGloeth(inventory, {
      knownHosts: new KnownHosts(join(dir, "known_hosts")),
      release: { version: "0.1.0", archives: {} },
      gloeth: ["false"],
      plan: true,
      onLog: (host, line) => lines.push(`${host} ${line}`),
    });
    assertEquals(result.plan.removals.map((removal) => [removal.host, removal.sameMachineAs]), [
      ["gone", undefined],
      ["old", "new"],
    ]);
    assertEquals(result.hosts.map((outcome) => [outcome.host, outcome.ok, outcome.error?.kind]), [
      ["new", false, "unreachable"],
      ["gone", false, "unreachable"],
      ["old", true, undefined],
    ]);
    assertEquals(result.hosts[2].steps, [{
      step: "unit gloeth.service left running",
      changed: false,
      detail:
        `the same machine as new (127.0.0.1:${samePort}): old would be revoked only, never stopped there`,
    }]);
    // Its one log line says so; no connection was tried.
    const oldLines = lines.filter((line) => line.startsWith("old "));
    assertEquals(oldLines.length, 1);
    assertMatch(
      oldLines[0],
      /^old \S+Z unchanged: unit gloeth\.service left running \(the same machine as new/,
    );
    assertEquals(
      result.controller.filter((step) => step.step.startsWith("revoke")).map((step) => step.step),
      [
        "revoke gone",
        "revoke old",
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
