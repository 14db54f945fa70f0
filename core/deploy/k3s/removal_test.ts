import { InputError } from "../../errors/input_error.ts";
import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { parseK3sInventory } from "./inventory.ts";
import { removalsBetween } from "./removal.ts";
import { highlyAvailable } from "./testing.ts";
import { uninstallSteps } from "./uninstall.ts";

const full = parseK3sInventory(highlyAvailable());

Deno.test("k3s removal: a host gone from the inventory is deleted through the first server, then uninstalled", () => {
  const input = highlyAvailable();
  const next = parseK3sInventory({
    ...input,
    servers: (input.servers as unknown[]).filter((_, index) => index !== 2),
    agents: (input.agents as unknown[]).slice(0, 1),
  });
  assertEquals(removalsBetween(full, next), [
    {
      host: "s3",
      role: "server",
      deleteNode: {
        through: "s1",
        argv: ["/usr/local/bin/k3s", "kubectl", "delete", "node", "s3", "--ignore-not-found"],
      },
      uninstall: uninstallSteps("server"),
    },
    {
      host: "a2",
      role: "agent",
      deleteNode: {
        through: "s1",
        argv: ["/usr/local/bin/k3s", "kubectl", "delete", "node", "a2", "--ignore-not-found"],
      },
      uninstall: uninstallSteps("agent"),
    },
  ]);
  assertEquals(removalsBetween(full, full), []);
});

Deno.test("k3s removal: the first server cannot leave or change", () => {
  const input = highlyAvailable();
  const next = parseK3sInventory({ ...input, servers: (input.servers as unknown[]).slice(1) });
  const error = assertThrows(() => removalsBetween(full, next), InputError) as InputError;
  assertEquals([error.field, error.kind], ["servers[0]", "precondition"]);
  assertEquals(error.reason, "the first server was s1: the cluster was made on it, and it stays first");
});

Deno.test("k3s removal: a name gone while a current host has its SSH address and port is only deleted", () => {
  const input = highlyAvailable();
  const withSsh = (hosts: unknown[], addresses: Record<string, string>) =>
    (hosts as { name: string }[]).map((host) => ({ ...host, ssh: { address: addresses[host.name] } }));
  const addresses = { s1: "192.0.2.1", s2: "192.0.2.2", s3: "192.0.2.3", a1: "192.0.2.11", a2: "192.0.2.12" };
  const previous = parseK3sInventory({
    ...input,
    servers: withSsh(input.servers as unknown[], addresses),
    agents: withSsh(input.agents as unknown[], addresses),
  });
  // s3 and a2 renamed on their machines (s3b's port given, as the default); a1 gone, a3 on another port.
  const next = parseK3sInventory({
    ...input,
    servers: [
      ...withSsh((input.servers as unknown[]).slice(0, 2), addresses),
      { name: "s3b", overlayAddress: "10.200.0.3", arch: "aarch64", ssh: { address: "192.0.2.3", port: 22 } },
    ],
    agents: [
      { name: "a2b", overlayAddress: "10.200.0.12", arch: "aarch64", ssh: { address: "192.0.2.12" } },
      {
        name: "a3",
        overlayAddress: "10.200.0.13",
        arch: "aarch64",
        ssh: { address: "192.0.2.11", port: 2222 },
      },
    ],
  });
  const removals = removalsBetween(previous, next);
  assertEquals(
    removals.map((removal) => [removal.host, removal.role, removal.sameMachineAs, removal.uninstall]),
    [
      ["s3", "server", "s3b", []],
      ["a1", "agent", undefined, uninstallSteps("agent")],
      ["a2", "agent", "a2b", []],
    ],
  );
  // The old node is still deleted through the first server.
  assertEquals(removals[2].deleteNode.argv, [
    "/usr/local/bin/k3s",
    "kubectl",
    "delete",
    "node",
    "a2",
    "--ignore-not-found",
  ]);
});

Deno.test("k3s removal: a host does not change role in place, either way", () => {
  const input = highlyAvailable();
  const servers = input.servers as unknown[];
  const agents = input.agents as unknown[];
  const promoted = parseK3sInventory({ ...input, servers: [...servers, agents[0]], agents: agents.slice(1) });
  const up = assertThrows(() => removalsBetween(full, promoted), InputError) as InputError;
  assertEquals([up.field, up.kind], [`servers[${servers.length}]`, "precondition"]);
  assertEquals(
    up.reason,
    "a1 was an agent: a node does not change role in place; take it out in one run, then add it back as a server",
  );
  const demoted = parseK3sInventory({
    ...input,
    servers: servers.slice(0, -1),
    agents: [...agents, servers.at(-1)],
  });
  const down = assertThrows(() => removalsBetween(full, demoted), InputError) as InputError;
  assertEquals([down.field, down.kind], [`agents[${agents.length}]`, "precondition"]);
  assertEquals(
    down.reason,
    "s3 was a server: a node does not change role in place; take it out in one run, then add it back as an agent",
  );
});
