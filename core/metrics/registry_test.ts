import { assertEquals, assertThrows } from "../testing/assert.ts";
import { Registry } from "./registry.ts";

Deno.test("metrics: renders the Prometheus text format", () => {
  const registry = new Registry();
  const requests = registry.counter("ctpf_requests_total", "Requests.", ["code"]);
  requests.inc({ code: "ok" });
  requests.inc({ code: "ok" }, 2);
  requests.inc({ code: 'we"ird\\' });
  registry.gauge("ctpf_leases", "Leases in use.").set(4);
  const latency = registry.histogram("ctpf_latency_seconds", "Latency.", [0.1, 1]);
  latency.observe(0.05);
  latency.observe(0.5);
  latency.observe(3);
  registry.gaugeFunc("ctpf_up", "Up.", () => 1);
  assertEquals(
    registry.render(),
    [
      "# HELP ctpf_requests_total Requests.",
      "# TYPE ctpf_requests_total counter",
      'ctpf_requests_total{code="ok"} 3',
      'ctpf_requests_total{code="we\\"ird\\\\"} 1',
      "# HELP ctpf_leases Leases in use.",
      "# TYPE ctpf_leases gauge",
      "ctpf_leases 4",
      "# HELP ctpf_latency_seconds Latency.",
      "# TYPE ctpf_latency_seconds histogram",
      'ctpf_latency_seconds_bucket{le="0.1"} 1',
      'ctpf_latency_seconds_bucket{le="1"} 2',
      'ctpf_latency_seconds_bucket{le="+Inf"} 3',
      "ctpf_latency_seconds_sum 3.55",
      "ctpf_latency_seconds_count 3",
      "# HELP ctpf_up Up.",
      "# TYPE ctpf_up gauge",
      "ctpf_up 1",
      "",
    ].join("\n"),
  );
});

Deno.test("metrics: refuses bad names, duplicates and decreasing counters", () => {
  const registry = new Registry();
  assertThrows(() => registry.counter("bad-name", "x"), RangeError);
  assertThrows(() => registry.counter("ok", "x", ["bad-label"]), RangeError);
  const counter = registry.counter("twice", "x");
  assertThrows(() => registry.gauge("twice", "x"), RangeError);
  assertThrows(() => counter.inc({}, -1), RangeError);
});

Deno.test("metrics: a labelled gauge read at scrape time shows the series counted now, and only those", () => {
  const registry = new Registry();
  let states: Record<string, number> = { on: 2, off: 1 };
  registry.labelledGaugeFunc(
    "ctpf_nodes",
    "Nodes.",
    ["state"],
    () => Object.entries(states).map(([state, value]) => ({ labels: { state }, value })),
  );
  assertEquals(registry.render().split("\n").slice(2, -1), [
    'ctpf_nodes{state="on"} 2',
    'ctpf_nodes{state="off"} 1',
  ]);
  states = { off: 3 };
  assertEquals(registry.render().split("\n").slice(2, -1), ['ctpf_nodes{state="off"} 3']);
  assertThrows(() => registry.labelledGaugeFunc("ctpf_x", "x", ["bad-label"], () => []), RangeError);
});
