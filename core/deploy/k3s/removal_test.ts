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
