import type { ConnectRouter } from "@connectrpc/connect";
import type { Hono } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import type { Logger } from "../log/logger.ts";
import type { Headline } from "../metrics/headline_history.ts";
import type { Registry } from "../metrics/registry.ts";
import type { SqliteStore } from "../store/sqlite.ts";
import type { CommonFlagValues } from "../runtime/common_flags.ts";

/**
 * What the platform hands every service when the binary starts. `Flags` are the values of the flags the
 * service declares (`FlagValues<typeof itsFlags>`); the common ones (listen, data-dir …) come with them.
 */
// deno-lint-ignore ban-types
export interface ServiceContext<Flags extends object = {}> {
  /**
   * A logger named `component` (the service's name, e.g. "bofied"), not after the binary: a service's
   * records carry the same component in its own binary and in the all-in-one.
   */
  logger(component: string): Logger;
  metrics: Registry;
  store: SqliteStore;
  auth: Authenticator;
  dataDir: string;
  /** The API/web address actually listened on (the configured one until the server is up; port 0 resolved). */
  listenAddress: () => { hostname: string; port: number };
  /** The flag values, parsed and typed, keyed like the flag tables. */
  flags: Flags & CommonFlagValues;
}

/**
 * A service hosted by a binary (necon, bofied …): its Connect services, optional extra HTTP routes
 * (file serving, WebDAV), and its life cycle. The web shell lists every hosted module.
 */
export interface ServiceModule {
  name: string;
  title: string;
  registerRpc(router: ConnectRouter): void;
  mountHttp?(app: Hono): void;
  /**
   * Answers a request before the router sees it, or returns undefined to pass it on: for the few hot,
   * public, read-only paths (boot files) where routing and context creation cost more than the answer.
   */
  answerFast?(request: Request, info: Deno.ServeHandlerInfo): Response | undefined;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** The few numbers the overview dashboard shows and charts for this service. */
  headlines?: Headline[];
  /** One line of health for the dashboard; a service without it is healthy while it runs. */
  status?(): ServiceStatus;
}

export interface ServiceStatus {
  healthy: boolean;
  /** e.g. "serving eth1", "no interface chosen: nothing is served". */
  summary: string;
}

/** Services the navigation knows about, hosted here or not. */
export const knownServices: { name: string; title: string }[] = [
  { name: "liwasc", title: "Scan & wake" },
  { name: "necon", title: "DHCP" },
  { name: "bofied", title: "Network boot" },
  { name: "nodin", title: "Nodes" },
  { name: "gloeth", title: "Mesh VPN" },
  { name: "builders", title: "Builders" },
  { name: "deployers", title: "Deploy" },
];
