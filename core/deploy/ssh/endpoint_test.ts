import { assertEquals } from "../../testing/assert.ts";
import { renamedTo, sshEndpoint } from "./endpoint.ts";

Deno.test("sshEndpoint: the address lowercased, the port 22 when unset, IPv6 in brackets", () => {
  assertEquals(sshEndpoint({ name: "a", address: "Host.Example" }), "host.example:22");
  assertEquals(sshEndpoint({ name: "a", address: "2001:db8::1", port: 2222 }), "[2001:db8::1]:2222");
});

Deno.test("renamedTo: a leaving host matched to the current one at its address and port only", () => {
  const host = (name: string, address?: string, port?: number) => ({
    name,
    ...(address ? { ssh: { name, address, ...(port ? { port } : {}) } } : {}),
  });
  const renamed = renamedTo(
    [host("old", "10.0.0.1"), host("elsewhere", "10.0.0.1", 2200), host("gone", "10.0.0.9"), host("bare")],
    [host("new", "10.0.0.1", 22), host("bare2")],
  );
  assertEquals([...renamed], [["old", "new"]]);
});
