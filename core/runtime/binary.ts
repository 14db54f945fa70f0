import type { Hono } from "hono";
import { join } from "node:path";
import { ensureAdminToken } from "../auth/admin_token.ts";
import { Authenticator } from "../auth/authenticator.ts";
import { SqliteAuthRepository } from "../auth/store_sqlite.ts";
import { createApp } from "../api/app.ts";
import { authInterceptor, metricsInterceptor } from "../api/interceptors.ts";
import type { ServiceContext, ServiceModule } from "../api/module.ts";
import { registerAuthService } from "../api/services/auth.ts";
import { registerHostService } from "../api/services/host.ts";
import { registerLogService } from "../api/services/logs.ts";
import { registerMetadataService } from "../api/services/metadata.ts";
import { registerOverviewService } from "../api/services/overview.ts";
import { ConfigError, type FlagSet, formatHostPort, mergeFlags } from "../config/flags.ts";
import { type FlagValues, helpText, loadConfig } from "../config/load.ts";
import { type Logger, LogSink } from "../log/logger.ts";
import { HeadlineHistory } from "../metrics/headline_history.ts";
import { Registry } from "../metrics/registry.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { VERSION } from "../version.ts";
import { commonFlags, type CommonFlagValues, defaultDataDir } from "./common_flags.ts";

// deno-lint-ignore ban-types
export interface BinaryDefinition<F extends FlagSet = {}> {
  name: string;
  summary: string;
  /** Default API/web address; each binary has its own port so several can share a node. */
  defaultPort: number;
  /**
   * The binary's own flags, beside the common ones; their values reach services as `context.flags`. Join
   * several services' tables with `mergeFlags`: a flag declared twice stops the binary at start-up.
   */
  flags?: F;
  /** The services this binary hosts, built once the platform is up. */
  services: (context: ServiceContext<FlagValues<F>>) => ServiceModule[];
  /** The web shell (injected so core/ does not depend on web/). */
  mountWeb: (app: Hono) => void;
}

/**
 * The whole life of a CTPF binary: configuration, data directory, store, auth, API + web server, and a
 * clean shutdown on SIGINT/SIGTERM. Returns the exit code.
 */
// deno-lint-ignore ban-types
export async function runBinary<F extends FlagSet = {}>(
  definition: BinaryDefinition<F>,
  args: string[] = Deno.args,
  env: Record<string, string> = Deno.env.toObject(),
): Promise<number> {
  const flags: FlagSet = mergeFlags(
    definition.flags ?? {},
    commonFlags({
      listen: { hostname: "127.0.0.1", port: definition.defaultPort },
      dataDir: defaultDataDir(env),
    }),
  );
  if (args.includes("--help") || args.includes("-h")) {
    console.log(helpText(definition.name, definition.summary, flags));
    return 0;
  }
  if (args.includes("--version")) {
    console.log(`${definition.name} ${VERSION} (deno ${Deno.version.deno}, ${Deno.build.target})`);
    return 0;
  }
  let config;
  try {
    config = loadConfig(flags, { binary: definition.name, args, env });
    if (config.positionals.length) throw new ConfigError(`unexpected argument "${config.positionals[0]}"`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${definition.name}: ${error.message} (see --help)`);
    return 2;
  }
  // What loadConfig parsed with the tables just merged: the binary's flags and the common ones.
  const options = config.values as FlagValues<F> & CommonFlagValues;

  const sink = new LogSink({ level: options.logLevel, format: options.logFormat });
  const log = sink.logger(definition.name);
  prepareDataDir(options.dataDir, log);

  const store = SqliteStore.open(join(options.dataDir, "ctpf.sqlite"));
  const authRepository = new SqliteAuthRepository(store);
  const auth = new Authenticator(authRepository, { sessionTtlMs: options.sessionTtlHours * 3_600_000 });
  auth.purgeExpired();

  const metrics = new Registry();
  const startedAt = new Date();
  metrics.gaugeFunc(
    "ctpf_uptime_seconds",
    "Seconds since the process started.",
    () => (Date.now() - startedAt.getTime()) / 1000,
  );
  metrics.counterFunc(
    "ctpf_log_stream_dropped_total",
    "Log records dropped for slow stream readers.",
    () => sink.hub.dropped,
  );

  let listening = { hostname: options.listen.hostname, port: options.listen.port };
  const context: ServiceContext<FlagValues<F>> = {
    logger: (component) => sink.logger(component),
    metrics,
    store,
    auth,
    dataDir: options.dataDir,
    flags: options,
    listenAddress: () => listening,
  };
  let services: ServiceModule[];
  try {
    services = definition.services(context);
  } catch (error) {
    // A flag whose value only a service can judge (an interface that does not exist, …).
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${definition.name}: ${error.message} (see --help)`);
    store.close();
    return 2;
  }
  const headlines = new HeadlineHistory();
  for (const service of services) headlines.add(service.name, service.headlines ?? []);
  const app = createApp({
    auth,
    metrics,
    anonymousRead: options.anonymousRead,
    interceptors: [
      metricsInterceptor(metrics),
      authInterceptor(auth, options.anonymousRead, log.child("api")),
    ],
    registerRpc(router) {
      registerMetadataService(router, {
        binary: definition.name,
        startedAt,
        hosted: services,
        commit: env.CTPF_COMMIT,
      });
      registerAuthService(router, auth, authRepository, log.child("auth"));
      registerLogService(router, sink);
      registerHostService(router);
      registerOverviewService(router, services, headlines);
      for (const service of services) service.registerRpc(router);
    },
    mountHttp(app) {
      for (const service of services) service.mountHttp?.(app);
      definition.mountWeb(app);
    },
  });

  const stopped = Promise.withResolvers<void>();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: options.listen.hostname,
      port: options.listen.port,
      // Logged below once the admin token and the services are ready: tests and scripts wait for it.
      onListen: () => {},
    }, withFastPaths(services, app.fetch));
  } catch (error) {
    console.error(
      `${definition.name}: cannot listen on ${formatHostPort(options.listen)}: ${(error as Error).message}`,
    );
    store.close();
    return 2;
  }
  listening = { hostname: (server.addr as Deno.NetAddr).hostname, port: (server.addr as Deno.NetAddr).port };
  // Only once the port is ours: a second instance that cannot start must not mint tokens.
  showNewAdminToken(
    definition.name,
    ensureAdminToken(auth, join(options.dataDir, "admin.token")),
    options.dataDir,
    log,
  );
  for (const service of services) {
    try {
      await service.start?.();
    } catch (error) {
      console.error(`${definition.name}: ${service.name} cannot start: ${(error as Error).message}`);
      await server.shutdown();
      store.close();
      return 2;
    }
  }
  headlines.start();
  const { hostname, port } = listening;
  log.info("listening", {
    url: `http://${formatHostPort({ hostname, port })}/`,
    data_dir: options.dataDir,
    services: services.map((s) => s.name).join(",") || "none",
  });

  const shutdown = (signal: string) => {
    log.info("shutting down", { signal });
    stopped.resolve();
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const handlers = signals.map((signal) => {
    const handler = () => shutdown(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  await stopped.promise;
  for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  // Streams (log tails) never end by themselves: give open requests a moment, then close hard.
  await Promise.race([server.shutdown(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  headlines.stop();
  for (const service of services.toReversed()) await service.stop?.();
  store.close();
  log.info("stopped");
  return 0;
}

/** Creates the data directory private (0700); an existing one is left as the operator set it. */
function prepareDataDir(path: string, log: Logger): void {
  try {
    const mode = Deno.statSync(path).mode ?? 0;
    if (mode & 0o022) {
      log.warn("data directory is writable by group or others", { path, mode: mode.toString(8) });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    Deno.mkdirSync(path, { recursive: true, mode: 0o700 });
    Deno.chmodSync(path, 0o700);
  }
}

/**
 * The new admin token goes to an interactive terminal only, never through the logger (the log is streamed
 * to API readers) nor into a service journal: there, only where to read it, as a log record like any other
 * so that a logfmt/JSON journal stays machine-readable.
 */
function showNewAdminToken(binary: string, token: string | undefined, dataDir: string, log: Logger): void {
  if (!token) return;
  const path = join(dataDir, "admin.token");
  if (Deno.stderr.isTerminal()) {
    console.error(
      `${binary}: created the admin token (kept in ${path}, mode 0600; shown only now):\n  ${token}`,
    );
  } else {
    log.info("created the admin token", { path, mode: "0600" });
  }
}

/** The router's handler, behind the services' fast paths (if any service has one). */
function withFastPaths(services: ServiceModule[], handler: Deno.ServeHandler): Deno.ServeHandler {
  const fast = services.flatMap((service) => service.answerFast ? [service.answerFast.bind(service)] : []);
  if (fast.length === 0) return handler;
  return (request, info) => {
    for (const answer of fast) {
      const response = answer(request, info);
      if (response) return response;
    }
    return handler(request, info);
  };
}
