import { Hub } from "../stream/hub.ts";
import { assertEquals } from "../testing/assert.ts";
import { hubFeed } from "./hub_feed.ts";
import type { Sighting } from "./sightings.ts";
import { type BootEventFacts, bootEventSighting, leaseSighting, scanSighting } from "./source_sightings.ts";

Deno.test("nodin sightings: leases, scanned nodes and PXE answers as sightings; what says nothing is skipped", () => {
  const lease = { mac: "02:00:00:00:61:0A", ip: "10.61.0.100", hostname: "h1", updatedAt: 5 };
  assertEquals(leaseSighting({ ...lease, state: "bound" }), {
    source: "necon",
    mac: "02:00:00:00:61:0a",
    at: 5,
    addresses: ["10.61.0.100"],
    hostname: "h1",
    detail: "lease 10.61.0.100 bound",
  });
  assertEquals(leaseSighting({ ...lease, state: "released" })?.addresses, []);
  assertEquals(leaseSighting({ ...lease, state: "declined" }), undefined);

  const node = {
    mac: "02:00:00:00:61:01",
    ips: ["10.61.0.101"],
    hostname: "",
    interface: "br0",
    lastSeen: 7,
  };
  assertEquals(scanSighting({ ...node, online: true }).addresses, ["10.61.0.101"]);
  assertEquals(scanSighting({ ...node, online: false }).detail, "last answered ARP on br0");

  const pxe = { kind: "pxe", time: 9, message: "02:00:00:00:61:02: boot ipxe.efi" };
  assertEquals(bootEventSighting({ ...pxe, fields: { mac: "02:00:00:00:61:02", arch: "7" } }), {
    source: "bofied",
    mac: "02:00:00:00:61:02",
    at: 9,
    pxeArch: 7,
    detail: "PXE: boot ipxe.efi",
  });
  assertEquals(
    bootEventSighting({ ...pxe, fields: { mac: "02:00:00:00:61:02", arch: "x" } })?.pxeArch,
    undefined,
  );
  assertEquals(bootEventSighting({ ...pxe, kind: "tftp", fields: { mac: "02:00:00:00:61:02" } }), undefined);
});

Deno.test("nodin sightings: a hub feed sends the replayed history, then live items, until aborted", async () => {
  const hub = new Hub<BootEventFacts>({ historySize: 10, subscriberQueue: 10 });
  const event = (mac: string): BootEventFacts => ({
    kind: "pxe",
    time: 1,
    message: "boot",
    fields: { mac, arch: "0" },
  });
  hub.publish(event("02:00:00:00:00:01"));
  hub.publish({ ...event("02:00:00:00:00:02"), kind: "http" });
  const feed = hubFeed({ source: "bofied", changes: hub, replay: 10, toSighting: bootEventSighting });
  const controller = new AbortController();
  const seen: Sighting[] = [];
  const following = feed.follow(controller.signal, (sighting) => {
    seen.push(sighting);
    if (seen.length === 2) controller.abort();
  });
  hub.publish(event("02:00:00:00:00:03"));
  await following;
  assertEquals(seen.map((s) => [s.mac, s.pxeArch]), [["02:00:00:00:00:01", 0], ["02:00:00:00:00:03", 0]]);
});
