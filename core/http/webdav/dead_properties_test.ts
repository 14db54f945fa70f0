import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { SqliteStore } from "../../store/sqlite.ts";
import { DeadPropertyLimitError, SqliteDeadProperties } from "./dead_properties.ts";
import type { PropertyChange } from "./property_request.ts";

const set = (local: string, value: string): PropertyChange => ({
  kind: "set",
  name: { namespace: "urn:t", local },
  xml: `<t:${local} xmlns:t="urn:t">${value}</t:${local}>`,
});
const values = (properties: SqliteDeadProperties, path: string) =>
  properties.list(path).map((property) => property.xml.replace(/<[^>]*>/g, ""));

Deno.test("dead properties: set and remove in order, kept apart per tree, persisted in the store", () => {
  const dir = Deno.makeTempDirSync();
  try {
    let store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    const boot = new SqliteDeadProperties(store, "/dav/boot");
    const other = new SqliteDeadProperties(store, "/dav/private");
    boot.apply("/a", [
      set("x", "1"),
      { kind: "remove", name: { namespace: "urn:t", local: "x" } },
      set("y", "2"),
    ]);
    other.apply("/a", [set("x", "other")]);
    assertEquals(values(boot, "/a"), ["2"]);
    store.close();
    store = SqliteStore.open(`${dir}/ctpf.sqlite`);
    assertEquals(values(new SqliteDeadProperties(store, "/dav/boot"), "/a"), ["2"]);
    assertEquals(values(new SqliteDeadProperties(store, "/dav/private"), "/a"), ["other"]);
    store.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("dead properties: copy, move and remove take the subtree, and nothing that only shares a prefix", () => {
  const properties = new SqliteDeadProperties(SqliteStore.open(":memory:"), "t");
  properties.apply("/d", [set("p", "d")]);
  properties.apply("/d/f", [set("p", "f")]);
  properties.apply("/d_", [set("p", "underscore")]);
  properties.apply("/dx", [set("p", "dx")]);
  properties.apply("/e", [set("p", "old e")]);
  properties.copy("/d", "/e", true);
  assertEquals([values(properties, "/e"), values(properties, "/e/f")], [["d"], ["f"]]);
  properties.copy("/d", "/g", false);
  assertEquals([values(properties, "/g"), values(properties, "/g/f")], [["d"], []]);
  properties.move("/d", "/m");
  assertEquals([values(properties, "/d"), values(properties, "/d/f"), values(properties, "/m/f")], [[], [], [
    "f",
  ]]);
  assertEquals([values(properties, "/d_"), values(properties, "/dx")], [["underscore"], ["dx"]]);
  properties.remove("/m");
  assertEquals(values(properties, "/m/f"), []);
  assertEquals(values(properties, "/dx"), ["dx"]);
});

Deno.test("dead properties: a patch over the limits changes nothing", () => {
  const properties = new SqliteDeadProperties(SqliteStore.open(":memory:"), "t");
  properties.apply("/a", [set("kept", "1")]);
  assertThrows(() => properties.apply("/a", [set("big", "x".repeat(70_000))]), DeadPropertyLimitError);
  const many = Array.from({ length: 300 }, (_, i) => set(`p${i}`, "v"));
  assertThrows(() => properties.apply("/a", many), DeadPropertyLimitError);
  assertEquals(values(properties, "/a"), ["1"]);
});
