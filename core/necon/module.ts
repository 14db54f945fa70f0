import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import type { BootAnswerProvider } from "../net/dhcp/boot_answer.ts";
import { registerNeconApi } from "./api.ts";
import type { NeconConfigInput } from "./config.ts";
import { Necon } from "./necon.ts";

/** necon's flags, shared by the necon binary and the all-in-one. */
export const neconFlags = {
  dhcpConfig: stringFlag({
    name: "dhcp-config",
    description: "JSON file with necon's configuration, applied at start (replaces the stored one)",
    default: "",
    defaultText: "none: the stored configuration, initially serving nothing",
    allowEmpty: true,
  }),
};

export function neconModule(
  context: ServiceContext<FlagValues<typeof neconFlags>>,
  bootAnswers?: BootAnswerProvider,
): ServiceModule & { necon: Necon } {
  const necon = new Necon({
    log: context.logger("necon"),
    metrics: context.metrics,
    store: context.store,
    bootAnswers,
  });
  return {
    name: "necon",
    title: "DHCP",
    necon,
    registerRpc: (router) => registerNeconApi(router, necon, { startupFile: context.flags.dhcpConfig }),
    async start() {
      const path = context.flags.dhcpConfig;
      let initial: NeconConfigInput | undefined;
      if (path) {
        try {
          initial = JSON.parse(await Deno.readTextFile(path));
        } catch (error) {
          throw new Error(`--dhcp-config ${path}: ${(error as Error).message}`);
        }
      }
      await necon.start(initial);
    },
    stop: () => necon.stop(),
    headlines: [
      {
        id: "necon.leases_bound",
        title: "Leases in use",
        kind: "gauge",
        read: () => necon.boundLeaseCount(),
      },
    ],
    status() {
      const served = necon.config.interfaces;
      if (served.length === 0) return { healthy: true, summary: "no interface chosen: nothing is served" };
      return { healthy: true, summary: `serving ${served.join(", ")}` };
    },
  };
}
