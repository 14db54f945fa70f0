import { assertEquals } from "../testing/assert.ts";
import { HeadlineHistory } from "./headline_history.ts";

Deno.test("headline history: a gauge shows its value now, a counter its increase per interval and window", () => {
  let leases = 0, boots = 100;
  const history = new HeadlineHistory({ sampleSeconds: 10, keep: 3 });
  history.add("necon", [{ id: "necon.leases", title: "Leases", kind: "gauge", read: () => leases }]);
  history.add("bofied", [{ id: "bofied.boots", title: "Boots", kind: "counter", read: () => boots }]);
  for (let i = 0; i < 4; i++) {
    history.sample(new Date(i * 10_000));
    leases += 2;
    boots += i;
  }
  const [gauge, counter] = history.series();
  // keep: 3 — the first sample is gone.
  assertEquals(gauge.history.map((p) => [p.time.getTime(), p.value]), [[10_000, 2], [20_000, 4], [
    30_000,
    6,
  ]]);
  assertEquals([gauge.value, gauge.window, gauge.service], [8, "now", "necon"]);
  // Counter read 100, 100, 101, 103 at 0..30 s, 106 now; the kept samples are 100, 101, 103.
  assertEquals(counter.history.map((p) => p.value), [1, 2]);
  assertEquals([counter.value, counter.window], [6, "per hour"]);
});

Deno.test("headline history: a reader that throws or returns NaN is skipped, the others are kept", () => {
  const history = new HeadlineHistory({ sampleSeconds: 10 });
  history.add("gloeth", [
    {
      id: "broken",
      title: "Broken",
      kind: "gauge",
      read: () => {
        throw new Error("restarting");
      },
    },
    { id: "nan", title: "NaN", kind: "gauge", read: () => NaN },
    { id: "links", title: "Links", kind: "gauge", read: () => 3 },
  ]);
  history.sample(new Date(0));
  const [broken, nan, links] = history.series();
  assertEquals([broken.history.length, nan.history.length, links.history.length], [0, 0, 1]);
  assertEquals([broken.value, links.value], [0, 3]);
});
