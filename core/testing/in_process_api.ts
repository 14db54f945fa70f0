// A service's real API handlers behind the router every binary builds (core/api/router_options.ts: the
// same error layer, the real auth interceptor), called in process through Connect's router transport: no
// server, no port, no root. The platform pieces (store, auth, log) live in a temporary data directory.
import type { DescService } from "@bufbuild/protobuf";
import { type Client, type ConnectRouter, createClient, createRouterTransport } from "@connectrpc/connect";
import { authInterceptor } from "../api/interceptors.ts";
import { apiRouterOptions } from "../api/router_options.ts";
import { Authenticator } from "../auth/authenticator.ts";
import { SqliteAuthRepository } from "../auth/store_sqlite.ts";
import { type Logger, LogSink } from "../log/logger.ts";
import { Registry } from "../metrics/registry.ts";
import { SqliteStore } from "../store/sqlite.ts";

export interface InProcessApiOptions {
  /** As --anonymous-read: callers without a credential may use read-only RPCs. */
  anonymousRead?: boolean;
}

export interface InProcessApi extends AsyncDisposable {
  dataDir: string;
  store: SqliteStore;
  log: Logger;
  metrics: Registry;
  auth: Authenticator;
  adminToken: string;
  viewerToken: string;
  /** The records logged so far, as logfmt lines. */
  logLines: string[];
  /** Registers the services under test (call once, before `client`). */
  serve(register: (router: ConnectRouter) => void): void;
  /** A client of `service`, calling with `token` as its bearer credential (default the admin's; "" none). */
  client<S extends DescService>(service: S, token?: string): Client<S>;
}

export async function inProcessApi(options: InProcessApiOptions = {}): Promise<InProcessApi> {
  const dataDir = await Deno.makeTempDir({ prefix: "ctpf-in-process-api-" });
  const store = SqliteStore.open(`${dataDir}/ctpf.sqlite`);
  const auth = new Authenticator(new SqliteAuthRepository(store), { sessionTtlMs: 3_600_000 });
  const logLines: string[] = [];
  const log = new LogSink({ level: "debug", format: "logfmt", write: (line) => logLines.push(line) })
    .logger("test");
  let register: ((router: ConnectRouter) => void) | undefined;
  const anonymousRead = options.anonymousRead ?? false;
  const adminToken = auth.createToken("admin", "admin").text;
  return {
    dataDir,
    store,
    log,
    metrics: new Registry(),
    auth,
    adminToken,
    viewerToken: auth.createToken("viewer", "viewer").text,
    logLines,
    serve(routes) {
      register = routes;
    },
    client(service, token = adminToken) {
      if (!register) throw new Error("serve() the services under test first");
      const transport = createRouterTransport(register, {
        router: apiRouterOptions([authInterceptor(auth, anonymousRead, log.child("api"))]),
        transport: {
          interceptors: token
            ? [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))]
            : [],
        },
      });
      return createClient(service, transport);
    },
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}
