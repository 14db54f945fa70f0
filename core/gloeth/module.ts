import { join } from "node:path";
import { nextSessionTime } from "./session_time.ts";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import {
  ConfigError,
  formatHostPort,
  hostPortListFlag,
  integerFlag,
  optionalHostPortFlag,
  stringFlag,
} from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { setLinkUp, setMtu } from "../sys/mod.ts";
import { registerGloethApi } from "./api.ts";
import { loadNode } from "./identity/node_dir.ts";
import { RelayPort, TapPort } from "./node/frame_port.ts";
import { GloethNode } from "./node/gloeth_node.ts";
import type { FramePathCounters } from "./wasm/frame_path.ts";

/** gloeth's flags, shared by the gloeth binary and (later) the all-in-one. */
export const gloethFlags = {
  nodeDir: stringFlag({
    name: "node-dir",
    description: "directory made by `gloeth node-init` (keys 0600, certificates, network trust)",
    default: "",
    defaultText: "required",
    allowEmpty: true,
  }),
  linkListen: optionalHostPortFlag({
    name: "link-listen",
    description: "address:port to accept links on (empty: only dial out)",
    default: { hostname: "0.0.0.0", port: 655 },
    defaultText: JSON.stringify("0.0.0.0:655"),
  }),
  peers: hostPortListFlag({
    name: "peers",
    description: "comma-separated address:port of nodes to link to (any one existing node is enough)",
    defaultText: "none",
  }),
  tap: stringFlag({
    name: "tap",
    description: "name of the TAP device gloeth creates (empty: a relay that only forwards for others)",
    default: "gloeth0",
    allowEmpty: true,
  }),
  tapAddress: stringFlag({
    name: "tap-address",
    description: "IPv4 address/prefix to give the TAP device, e.g. 10.200.0.1/24 (empty: none)",
    default: "",
    defaultText: "none",
    allowEmpty: true,
  }),
  rekeyMinutes: integerFlag({
    name: "rekey-minutes",
    description: "make a new session key this often, so keys that leak later cannot open earlier frames",
    default: 60,
    min: 1,
    max: 7 * 24 * 60,
  }),
  mtu: integerFlag({
    name: "mtu",
    description: "MTU of the TAP device",
    default: 1400,
    min: 576,
    max: 65_000,
  }),
};

export function gloethModule(
  context: ServiceContext<FlagValues<typeof gloethFlags>>,
): ServiceModule & { node: () => GloethNode | undefined } {
  const flags = context.flags;
  const { nodeDir, linkListen: listen } = flags;
  if (!nodeDir) throw new ConfigError("--node-dir is required (make one with `gloeth node-init`)");
  // The link manager dials host:port text (the host as given, without IPv6 brackets).
  const peers = flags.peers.map(({ hostname, port }) => `${hostname}:${port}`);
  const log = context.log.child("gloeth");
  let node: GloethNode | undefined;
  let nodeName = "";
  registerGloethMetrics(context, () => node);
  return {
    name: "gloeth",
    title: "Mesh VPN",
    node: () => node,
    registerRpc: (router) =>
      registerGloethApi(router, () => node && { node, name: nodeName, tap: flags.tap }),
    async start() {
      const loaded = await loadNode(nodeDir);
      nodeName = loaded.name;
      const tapName = flags.tap;
      const port = tapName ? TapPort.open(tapName) : new RelayPort();
      if (port instanceof TapPort) {
        setMtu(port.tap.name, flags.mtu);
        setLinkUp(port.tap.name, true);
        const address = flags.tapAddress;
        if (address) {
          // iproute2 sets the address: a netlink client of our own would be more code than it saves.
          const result = await new Deno.Command("ip", {
            args: ["addr", "add", address, "dev", port.tap.name],
          })
            .output();
          if (!result.success) {
            throw new Error(`ip addr add ${address}: ${new TextDecoder().decode(result.stderr)}`);
          }
        }
      }
      node = new GloethNode({
        sessionTime: () => nextSessionTime(join(context.dataDir, "gloeth-session")),
        rekeyMs: flags.rekeyMinutes * 60_000,
        identity: { keys: loaded.keys, certificate: loaded.certificate, nodeId: loaded.nodeId },
        trust: loaded.trust,
        caPem: loaded.caPem,
        certPem: loaded.certPem,
        keyPem: loaded.keyPem,
        revocations: loaded.revocations,
        listen,
        peers,
        port,
        log,
      });
      await node.start();
      log.info("node up", {
        node: loaded.nodeId,
        name: loaded.name,
        tap: tapName || "none (relay)",
        listen: listen ? formatHostPort(listen) : "",
        peers: peers.join(","),
      });
    },
    async stop() {
      await node?.stop();
    },
  };
}

function registerGloethMetrics(context: ServiceContext, node: () => GloethNode | undefined): void {
  const counter = (name: string, help: string, read: (node: GloethNode) => number) =>
    context.metrics.counterFunc(name, help, () => {
      const current = node();
      return current ? read(current) : 0;
    });
  counter(
    "gloeth_frames_from_tap_total",
    "Frames read from the TAP device.",
    (n) => n.counters.framesFromPort,
  );
  counter(
    "gloeth_frames_to_tap_total",
    "Frames delivered to the TAP device.",
    (n) => n.counters.framesToPort,
  );
  counter(
    "gloeth_frames_forwarded_total",
    "Sealed frames passed on toward another node.",
    (n) => n.counters.framesForwarded,
  );
  counter(
    "gloeth_frames_no_route_total",
    "Frames dropped: no route to their node.",
    (n) => n.counters.noRoute,
  );
  counter(
    "gloeth_frames_no_keys_total",
    "Frames dropped: the node's keys were not ready.",
    (n) => n.counters.noKeys,
  );
  counter("gloeth_frames_hop_limit_total", "Frames dropped at the hop limit.", (n) => n.counters.hopLimit);
  counter(
    "gloeth_frames_queue_full_total",
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
      `gloeth_frames_rejected_${reason}_total`,
      `Frames for this node refused end to end: ${why}.`,
      (n) => n.frames.counters()[key],
    );
  }
  context.metrics.gaugeFunc("gloeth_links", "Links up.", () => node()?.links.size ?? 0);
  context.metrics.gaugeFunc("gloeth_routes", "Nodes reachable.", () => node()?.routes.size ?? 0);
  context.metrics.gaugeFunc(
    "gloeth_macs",
    "MAC addresses learned behind other nodes.",
    () => node()?.frames.macCount ?? 0,
  );
}
