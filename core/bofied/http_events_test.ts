import { assertEquals } from "../testing/assert.ts";
import { type ServedBatch, ServedCoalescer } from "./http_events.ts";

Deno.test("served events: identical answers inside a window become one counted event per client", async () => {
  const reported: ServedBatch[] = [];
  const coalescer = new ServedCoalescer((batch) => reported.push(batch), 50);
  for (let i = 0; i < 1000; i++) {
    coalescer.add({ path: "/boot.ipxe", status: 200, bytes: 10, client: "10.0.0.2" });
  }
  coalescer.add({ path: "/boot.ipxe", status: 200, bytes: 10, client: "10.0.0.3" });
  coalescer.add({ path: "/boot.ipxe", status: 304, bytes: 0, client: "10.0.0.2" });
  assertEquals(reported.length, 0);
  await new Promise((resolve) => setTimeout(resolve, 120));
  assertEquals(reported, [
    { path: "/boot.ipxe", status: 200, bytes: 10_000, client: "10.0.0.2", count: 1000 },
    { path: "/boot.ipxe", status: 200, bytes: 10, client: "10.0.0.3", count: 1 },
    { path: "/boot.ipxe", status: 304, bytes: 0, client: "10.0.0.2", count: 1 },
  ]);
  coalescer.add({ path: "/vmlinuz", status: 200, bytes: 5, client: "10.0.0.2" });
  coalescer.flush();
  assertEquals(reported.at(-1), { path: "/vmlinuz", status: 200, bytes: 5, client: "10.0.0.2", count: 1 });
});
