import type { Registry } from "../metrics/registry.ts";
import type { GloethNode } from "./node/gloeth_node.ts";
import type { FramePathCounters } from "./wasm/frame_path.ts";

/** gloeth's metrics (`ctpf_gloeth_*`), read from the running node; zero while it is not up. */
export function registerGloethMetrics(metrics: Registry, node: () => GloethNode | undefined): void {
  const counter = (name: string, help: string, read: (node: GloethNode) => number) =>
    metrics.counterFunc(name, help, () => {
      const current = node();
      return current ? read(current) : 0;
    });
  // name suffix, help, and the node counter it reads.
  const frames: [string, string, keyof GloethNode["counters"]][] = [
    ["from_tap", "Frames read from the TAP device.", "framesFromPort"],
    ["to_tap", "Frames delivered to the TAP device.", "framesToPort"],
    ["forwarded", "Sealed frames passed on toward another node.", "framesForwarded"],
    ["no_route", "Frames dropped: no route to their node.", "noRoute"],
    ["no_keys", "Frames dropped: the node's keys were not ready.", "noKeys"],
    ["hop_limit", "Frames dropped at the hop limit.", "hopLimit"],
    ["queue_full", "Frames dropped: a link's send queue was full.", "queueFull"],
  ];
  for (const [suffix, help, field] of frames) {
    counter(`ctpf_gloeth_frames_${suffix}_total`, help, (n) => n.counters[field]);
  }
  const refusals = {
    auth: "a tag that did not verify",
    replay: "a counter already seen or too old",
    bad_header: "a header it cannot have sent",
    bad_length: "too short or too long",
    unknown_source: "from a node without keys here",
    bad_offload: "a virtio_net_hdr no TAP would write",
  };
  for (const [reason, why] of Object.entries(refusals)) {
    const key = reason.replace(
      /_(.)/g,
      (_, letter: string) => letter.toUpperCase(),
    ) as keyof FramePathCounters;
    counter(
      `ctpf_gloeth_frames_rejected_${reason}_total`,
      `Frames for this node refused end to end: ${why}.`,
      (n) => n.frames.counters()[key],
    );
  }
  metrics.gaugeFunc("ctpf_gloeth_links", "Links up.", () => node()?.links.size ?? 0);
  metrics.gaugeFunc("ctpf_gloeth_routes", "Nodes reachable.", () => node()?.routes.size ?? 0);
  metrics.gaugeFunc(
    "ctpf_gloeth_macs",
    "MAC addresses learned behind other nodes.",
    () => node()?.frames.macCount ?? 0,
  );
}
