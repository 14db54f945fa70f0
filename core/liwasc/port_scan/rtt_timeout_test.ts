import { assertEquals } from "../../testing/assert.ts";
import { RttTimeout } from "./rtt_timeout.ts";

Deno.test("rtt_timeout: the ceiling until a sample, then smoothed RTT + 4 × variation within the bounds", () => {
  const timeout = new RttTimeout(100, 1000);
  assertEquals(timeout.timeoutMs(), 1000);
  timeout.sample(0.2);
  assertEquals(timeout.timeoutMs(), 100, "a LAN round trip stays at the floor");
  const slow = new RttTimeout(10, 1000);
  slow.sample(40); // smoothed 40, variation 20
  assertEquals(slow.timeoutMs(), 120);
  slow.sample(80); // variation 0.75 × 20 + 0.25 × 40 = 25, smoothed 45
  assertEquals(slow.timeoutMs(), 145);
  slow.sample(5000);
  assertEquals(slow.timeoutMs(), 1000, "never past the ceiling");
});

Deno.test("rtt_timeout: negative and NaN samples are ignored", () => {
  const timeout = new RttTimeout(100, 1000);
  timeout.sample(-1);
  timeout.sample(NaN);
  assertEquals([timeout.samples, timeout.timeoutMs()], [0, 1000]);
});
