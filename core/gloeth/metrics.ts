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
  counter(
    "ctpf_gloeth_frames_from_tap_total",
    "Frames read from the TAP device.",
    (n) => n.counters.framesFromPort,
  );
  counter(
    "ctpf_gloeth_frames_to_tap_total",
    "Frames delivered to the TAP device.",
    (n) => n.counters.framesToPort,
  );
  counter(
    "ctpf_gloeth_frames_forwarded_total",
    "Sealed frames passed on toward another node.",
    (n) => n.counters.framesForwarded,
  );
  counter(
    "ctpf_gloeth_frames_no_route_total",
    "Frames dropped: no route to their node.",
    (n) => n.counters.noRoute,
  );
  counter(
    "ctpf_gloeth_frames_no_keys_total",
    "Frames dropped: the node's keys were not ready.",
    (n) => n.counters.noKeys,
  );
  counter(
    "ctpf_gloeth_frames_hop_limit_total",
    "Frames dropped at the hop limit.",
    (n) => n.counters.hopLimit,
  );
  counter(
    "ctpf_gloeth_frames_queue_full_total",
    "Frames dropped: a link's send queue was full.",
    (n) => n.counters.queueFull,
  );
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
