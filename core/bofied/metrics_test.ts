import { Registry } from "../metrics/registry.ts";
import { assertEquals, assertRejects } from "../testing/assert.ts";
import { MetricsText } from "../testing/metrics.ts";
import { BofiedMetrics } from "./metrics.ts";

Deno.test("bofied metrics: a transfer that throws is counted failed (error) and no longer under way", async () => {
  const registry = new Registry();
  const metrics = new BofiedMetrics(registry);
  await assertRejects(() => metrics.tftpTransfer(() => Promise.reject(new Error("disk gone"))));
  await metrics.tftpTransfer(() =>
    Promise.resolve({ ok: false, bytes: 1024, blocks: 2, retransmits: 5, failure: "timeout" as const })
  );
  const counted = new MetricsText(registry.render());
  assertEquals(counted.value("ctpf_bofied_tftp_transfers_started_total"), 2);
  assertEquals(counted.value("ctpf_bofied_tftp_transfers_total", { result: "failed", reason: "error" }), 1);
  assertEquals(counted.value("ctpf_bofied_tftp_transfers_total", { result: "failed", reason: "timeout" }), 1);
  assertEquals(counted.value("ctpf_bofied_tftp_transfers_active"), 0);
  assertEquals(counted.value("ctpf_bofied_tftp_bytes_sent_total"), 1024);
  for (const name of counted.families.keys()) assertEquals(name.startsWith("ctpf_bofied_"), true, name);
});
