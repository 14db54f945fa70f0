import { assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { BROADCAST_MAC, parseMac } from "../../net/mac.ts";
import { MacTable } from "./mac_table.ts";

const [A, B] = ["a", "b"].map((letter) => letter.repeat(32));
const HOST_1 = parseMac("02:00:00:00:00:01");
const HOST_2 = parseMac("02:00:00:00:00:02");

Deno.test("mac table: learns where a source address lives, and follows it when it moves", () => {
  const table = new MacTable();
  assertEquals(table.lookup(HOST_1), undefined);
  table.learn(HOST_1, A, 0);
  table.learn(HOST_2, B, 0);
  assertEquals(table.lookup(HOST_1), A);
  assertEquals(table.lookup(HOST_2), B);
  table.learn(HOST_1, B, 10); // a VM migrated
  assertEquals(table.lookup(HOST_1), B);
  assertEquals(table.size, 2);
});

Deno.test("mac table: broadcast and multicast addresses are never learned", () => {
  const table = new MacTable();
  for (const group of [BROADCAST_MAC, parseMac("01:00:5e:00:00:fb"), parseMac("33:33:00:00:00:01")]) {
    table.learn(group, A, 0);
    assertEquals(table.lookup(group), undefined);
  }
  assertEquals(table.size, 0);
  assertThrows(() => table.learn(-1, A, 0), RangeError);
  assertThrows(() => table.learn(2 ** 48, A, 0), RangeError);
});

Deno.test("mac table: entries age out after ttlMs unless traffic refreshes them", () => {
  const table = new MacTable(300_000);
  table.learn(HOST_1, A, 0);
  table.learn(HOST_2, A, 0);
  table.learn(HOST_2, A, 200_000); // still talking
  assertEquals(table.expire(300_000), 0); // exactly ttlMs old: not yet
  assertEquals(table.expire(300_001), 1);
  assertEquals(table.lookup(HOST_1), undefined);
  assertEquals(table.lookup(HOST_2), A);
  assertEquals(table.expire(500_001), 1);
  assertEquals(table.size, 0);
});

Deno.test("mac table: a node that left the route table takes its addresses with it", () => {
  const table = new MacTable();
  table.learn(HOST_1, A, 0);
  table.learn(HOST_2, B, 0);
  table.learn(parseMac("02:00:00:00:00:03"), A, 0);
  assertEquals(table.forgetNode(A), 2);
  assertEquals(table.lookup(HOST_1), undefined);
  assertEquals(table.lookup(HOST_2), B);
  assertEquals(table.forgetNode(A), 0);
});

Deno.test("mac table: when full, the least recently learned entry makes room", () => {
  const table = new MacTable(300_000, 3);
  const macs = [1, 2, 3, 4].map((i) => parseMac(`02:00:00:00:00:0${i}`));
  table.learn(macs[0], A, 0);
  table.learn(macs[1], A, 1);
  table.learn(macs[2], A, 2);
  table.learn(macs[0], A, 3); // refreshed: now the newest
  table.learn(macs[3], B, 4);
  assertEquals(table.size, 3);
  assertEquals(macs.map((mac) => table.lookup(mac)), [A, undefined, A, B]);
  assertThrows(() => new MacTable(1000, 0), RangeError);
});
