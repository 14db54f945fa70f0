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
import { registerGloethApi } from "./api.ts";
import { loadNode } from "./identity/node_dir.ts";
import { registerGloethMetrics } from "./metrics.ts";
import { openFramePort } from "./node/open_port.ts";
import { GloethNode } from "./node/gloeth_node.ts";

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
  const peers = flags.peers;
  const log = context.logger("gloeth");
  let node: GloethNode | undefined;
  let nodeName = "";
  registerGloethMetrics(context.metrics, () => node);
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
      const port = await openFramePort({ tap: tapName, mtu: flags.mtu, address: flags.tapAddress });
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
        peers: peers.map(formatHostPort).join(","),
      });
    },
    async stop() {
      await node?.stop();
    },
    headlines: [
      { id: "gloeth.links", title: "Mesh links", kind: "gauge", read: () => node?.links.size ?? 0 },
    ],
    status() {
      if (!node) return { healthy: false, summary: "not started" };
      return { healthy: true, summary: `${node.links.size} of ${peers.length} configured peers linked` };
    },
  };
}
