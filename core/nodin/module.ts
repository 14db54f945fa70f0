import { join } from "node:path";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { integerFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import { registerNodinApi } from "./api.ts";
import { Nodin } from "./nodin.ts";
import { shippedDrivers } from "./power/drivers.ts";
import { CredentialFiles } from "./secrets.ts";
import type { SightingFeed } from "./sightings.ts";
import { SqliteNodinRepository } from "./store_sqlite.ts";

/** nodin's flags, shared by the nodin binary and the all-in-one. */
export const nodinFlags = {
  nodinHistoryDays: integerFlag({
    name: "nodin-history-days",
    description: "days a node's history is kept (at most 1000 entries per node in any case)",
    default: 90,
    min: 1,
    max: 3650,
  }),
  nodinPollSeconds: integerFlag({
    name: "nodin-poll-seconds",
    description: "seconds between power polls of a node at rest (failing BMCs back off from this)",
    default: 15,
    min: 1,
    max: 3600,
  }),
  nodinSoftOffSeconds: integerFlag({
    name: "nodin-soft-off-seconds",
    description: "seconds a soft power-off (ACPI) may take before the power is cut",
    default: 120,
    min: 1,
    max: 3600,
  }),
  nodinCloudSyncSeconds: integerFlag({
    name: "nodin-cloud-sync-seconds",
    description: "seconds between listings of each cloud account's machines (failing accounts back off)",
    default: 60,
    min: 5,
    max: 86_400,
  }),
};

/** `feeds` are where nodes are seen: the hosted services' hubs in the all-in-one, their APIs otherwise. */
export function nodinModule(
  context: ServiceContext<FlagValues<typeof nodinFlags>>,
  feeds: SightingFeed[],
): ServiceModule & { nodin: Nodin } {
  const nodin = new Nodin({
    log: context.logger("nodin"),
    metrics: context.metrics,
    repository: new SqliteNodinRepository(context.store),
    credentials: new CredentialFiles(join(context.dataDir, "nodin", "credentials")),
    drivers: shippedDrivers(),
    historyDays: context.flags.nodinHistoryDays,
    cloudPower: true,
    cloudTiming: { syncMs: context.flags.nodinCloudSyncSeconds * 1000 },
    powerTiming: {
      pollMs: context.flags.nodinPollSeconds * 1000,
      softOffTimeoutMs: context.flags.nodinSoftOffSeconds * 1000,
    },
  });
  const managed = (state: string) => nodin.countBy((node) => node.observedPower.state === state);
  return {
    name: "nodin",
    title: "Nodes",
    nodin,
    registerRpc: (router) => registerNodinApi(router, nodin),
    start() {
      nodin.start(feeds);
      return Promise.resolve();
    },
    stop: () => nodin.stop(),
    headlines: [
      {
        id: "nodin.nodes_enrolled",
        title: "Nodes enrolled",
        kind: "gauge",
        read: () => nodin.countBy((node) => node.lifecycle !== "discovered" && node.lifecycle !== "retired"),
      },
      { id: "nodin.nodes_powered_on", title: "Nodes powered on", kind: "gauge", read: () => managed("on") },
    ],
    status() {
      const total = nodin.countBy(() => true);
      const discovered = nodin.countBy((node) => node.lifecycle === "discovered");
      const unknown = nodin.countBy((node) =>
        node.bmc !== undefined && node.observedPower.state === "unknown"
      );
      const sources = feeds.map((feed) => feed.source).join(", ") || "no sources";
      const parts = [`${total} nodes (${discovered} waiting to be enrolled)`, `seen by ${sources}`];
      if (unknown) parts.push(`${unknown} with unknown power`);
      return { healthy: true, summary: parts.join("; ") };
    },
  };
}
