import { Registry } from "../metrics/registry.ts";
import { assertEquals } from "../testing/assert.ts";
import { MetricsText } from "../testing/metrics.ts";
import { LiwascMetrics } from "./metrics.ts";
import type { NodeRecord } from "./model.ts";

Deno.test("liwasc metrics: scans running follow starts and ends; node gauges read the list; all ctpf_liwasc_*", () => {
  const registry = new Registry();
  const nodes = [{ online: true }, { online: false }] as NodeRecord[];
  const metrics = new LiwascMetrics(registry, () => nodes);
  metrics.scanStarted("port");
  metrics.scanStarted("port");
  metrics.scanEnded("port", "cancelled");
  metrics.wakeEnded("timed-out");
  const counted = new MetricsText(registry.render());
  assertEquals(counted.value("ctpf_liwasc_scans_running", { kind: "port" }), 1);
  assertEquals(counted.value("ctpf_liwasc_scans_total", { kind: "port", result: "cancelled" }), 1);
  assertEquals(counted.value("ctpf_liwasc_wakes_total", { result: "timed_out" }), 1);
  assertEquals([counted.value("ctpf_liwasc_nodes_known"), counted.value("ctpf_liwasc_nodes_online")], [2, 1]);
  for (const name of counted.families.keys()) assertEquals(name.startsWith("ctpf_liwasc_"), true, name);
});
