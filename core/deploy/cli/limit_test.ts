import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { limitHosts } from "./limit.ts";

Deno.test("limitHosts keeps the named hosts in inventory order and refuses unknown names", () => {
  const hosts = [{ name: "a" }, { name: "b" }, { name: "c" }];
  assertEquals(limitHosts(hosts, []), hosts);
  assertEquals(limitHosts(hosts, ["c", "a"]), [{ name: "a" }, { name: "c" }]);
  const error = assertThrows(() => limitHosts(hosts, ["a", "x", "y"]));
  assertEquals(error.message, "--limit: x, y are not in the inventory (it has a, b, c)");
});
