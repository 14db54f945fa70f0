import { assert, assertEquals } from "../testing/assert.ts";
import { parseIpv4 } from "../net/ipv4addr.ts";
import { parseMac } from "../net/mac.ts";
import { NodeBook } from "./node_book.ts";

const mac = (text: string) => parseMac(text);
const hosts = (entries: [string, string[]][]) =>
  new Map(entries.map(([ip, macs]) => [parseIpv4(ip), macs.map(mac)]));
const everyAddress = new Set(Array.from({ length: 254 }, (_, i) => `10.0.0.${i + 1}`));

Deno.test("node book: found, seen again, offline, moved address, conflict, scoped scans", () => {
  const book = new NodeBook();
  const first = book.applyScan(
    "eth0",
    hosts([["10.0.0.5", ["00:1b:21:00:00:01"]], ["10.0.0.6", ["b8:27:eb:00:00:02"]]]),
    everyAddress,
    1000,
  );
  assertEquals(first.length, 2);
  const intel = book.get(mac("00:1b:21:00:00:01"))!;
  assertEquals([intel.ips, intel.online, intel.firstSeen, intel.interface], [
    ["10.0.0.5"],
    true,
    1000,
    "eth0",
  ]);
  assert(/intel/i.test(intel.vendor), intel.vendor);

  // The Pi is silent: offline; the Intel node is seen again, first seen unchanged.
  const second = book.applyScan("eth0", hosts([["10.0.0.5", ["00:1b:21:00:00:01"]]]), everyAddress, 2000);
  assertEquals(second.map((n) => n.online).sort(), [false, true]);
  assertEquals([intel.firstSeen, intel.lastSeen], [1000, 2000]);

  // A scan scoped to other addresses says nothing about the Intel node.
  book.applyScan("eth0", hosts([]), new Set(["10.0.0.9"]), 3000);
  assert(book.get(mac("00:1b:21:00:00:01"))!.online);

  // 10.0.0.5 moves to a new MAC: the old node loses it (and, asked and silent, goes offline).
  book.applyScan("eth0", hosts([["10.0.0.5", ["02:00:00:00:00:03"]]]), new Set(["10.0.0.5"]), 4000);
  assertEquals(book.get(mac("00:1b:21:00:00:01"))!.ips, []);
  assertEquals(book.byIp("10.0.0.5")?.mac, mac("02:00:00:00:00:03"));
  assertEquals(book.get(mac("02:00:00:00:00:03"))!.vendor, "", "a locally administered MAC has no vendor");

  // Two MACs answer for one address: each names the other.
  book.applyScan(
    "eth0",
    hosts([["10.0.0.7", ["02:00:00:00:00:04", "02:00:00:00:00:05"]]]),
    everyAddress,
    5000,
  );
  assertEquals(book.get(mac("02:00:00:00:00:04"))!.conflictsWith, [mac("02:00:00:00:00:05")]);
  assertEquals(book.get(mac("02:00:00:00:00:05"))!.conflictsWith, [mac("02:00:00:00:00:04")]);

  book.forgetBefore(2500);
  assertEquals(book.get(mac("b8:27:eb:00:00:02")), undefined);
});
