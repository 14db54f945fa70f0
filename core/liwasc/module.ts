import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { ConfigError, listFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { interfaceExists } from "../sys/mod.ts";
import { registerLiwascApi } from "./api.ts";
import { Liwasc } from "./liwasc.ts";
import { SqliteLiwascRepository } from "./store_sqlite.ts";

/** liwasc's flags, shared by the liwasc binary and the all-in-one. */
export const liwascFlags = {
  scanInterfaces: listFlag({
    name: "scan-interfaces",
    description:
      "comma-separated interfaces liwasc may scan and send wake packets on; replaces the choice kept in " +
      "liwasc's settings (the web page) at start",
    defaultText: "none: the interfaces chosen in the settings (none at first: nothing is scanned)",
  }),
};

export function liwascModule(
  context: ServiceContext<FlagValues<typeof liwascFlags>>,
): ServiceModule & { liwasc: Liwasc } {
  const interfaces = context.flags.scanInterfaces;
  for (const name of interfaces) {
    if (!interfaceExists(name)) throw new ConfigError(`--scan-interfaces: no interface named ${name}`);
  }
  const liwasc = new Liwasc({
    log: context.logger("liwasc"),
    metrics: context.metrics,
    repository: new SqliteLiwascRepository(context.store),
    interfaces,
  });
  return {
    name: "liwasc",
    title: "Scan & wake",
    liwasc,
    registerRpc: (router) => registerLiwascApi(router, liwasc),
    start() {
      liwasc.start();
      return Promise.resolve();
    },
    stop() {
      liwasc.stop();
      return Promise.resolve();
    },
    headlines: [
      {
        id: "liwasc.nodes_online",
        title: "Nodes online",
        kind: "gauge",
        read: () => liwasc.onlineNodeCount(),
      },
    ],
    status() {
      const scanned = liwasc.interfaces;
      if (scanned.length === 0) return { healthy: true, summary: "no interface chosen: nothing is scanned" };
      return { healthy: true, summary: `scanning ${scanned.join(", ")}` };
    },
  };
}
