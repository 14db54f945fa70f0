import { InputError } from "../../errors/input_error.ts";
import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { parseK3sInventory } from "./inventory.ts";
import { sshSpecs } from "./ssh_specs.ts";
import { oneServer } from "./testing.ts";

const withSsh = (name: string, address: string, extra: Record<string, unknown> = {}) => ({
  name,
  overlayAddress: `10.200.0.${address.split(".").pop()}`,
  arch: "x86_64",
  ssh: { address },
  ...extra,
});

Deno.test("k3s ssh specs: each host's way in, a removed host's from the previous inventory", () => {
  const previous = parseK3sInventory(oneServer({
    servers: [withSsh("s1", "192.0.2.1")],
    agents: [withSsh("a1", "192.0.2.11"), withSsh("a2", "192.0.2.12")],
  }));
  const next = parseK3sInventory(oneServer({ servers: [withSsh("s1", "192.0.2.1")], agents: [] }));
  const specs = sshSpecs(next, previous);
  assertEquals([...specs.keys()], ["s1", "a1", "a2"]);
  assertEquals(specs.get("a2")?.address, "192.0.2.12");
});

Deno.test("k3s ssh specs: a host without an SSH address is refused before any host is touched", () => {
  const inventory = parseK3sInventory(oneServer({
    servers: [withSsh("s1", "192.0.2.1"), { name: "s2", overlayAddress: "10.200.0.2", arch: "x86_64" }],
  }));
  const error = assertThrows(() => sshSpecs(inventory), InputError);
  assertEquals(error.message, "ssh: no SSH address for s2: give each host an ssh.address");
});
