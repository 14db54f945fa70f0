import { assertEquals } from "../testing/assert.ts";
import { Registry } from "../metrics/registry.ts";
import { registerGloethMetrics } from "./metrics.ts";

Deno.test("gloeth metrics: every series is ctpf_gloeth_* and reads zero while the node is down", () => {
  const metrics = new Registry();
  registerGloethMetrics(metrics, () => undefined);
  const samples = metrics.render().split("\n").filter((line) => line && !line.startsWith("#"));
  assertEquals(samples.length, 16);
  for (const line of samples) {
    if (!/^ctpf_gloeth_[a-z_]+ 0$/.test(line)) throw new Error(`unexpected sample: ${line}`);
  }
  for (
    const name of [
      "ctpf_gloeth_frames_from_tap_total",
      "ctpf_gloeth_frames_rejected_auth_total",
      "ctpf_gloeth_links",
      "ctpf_gloeth_macs",
    ]
  ) {
    if (!samples.includes(`${name} 0`)) throw new Error(`missing ${name}`);
  }
});
