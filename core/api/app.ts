import { Hono } from "hono";
import { type ConnectRouter, createConnectRouter, type Interceptor } from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import type { Authenticator } from "../auth/authenticator.ts";
import type { Registry } from "../metrics/registry.ts";
import { requireAccess } from "./http_auth.ts";

export interface AppOptions {
  auth: Authenticator;
  metrics: Registry;
  anonymousRead: boolean;
  interceptors: Interceptor[];
  /** Registers every Connect service the binary serves. */
  registerRpc: (router: ConnectRouter) => void;
  /** Extra HTTP routes (web shell, service file areas), mounted after the API. */
  mountHttp: (app: Hono) => void;
}

/**
 * One Hono app per binary: Connect (Connect + gRPC-Web protocols; native gRPC needs HTTP/2 trailers that
 * a fetch Response cannot send) at /<package.Service>/<Method>, /healthz, /metrics, then the web UI.
 */
export function createApp(options: AppOptions): Hono {
  const router = createConnectRouter({ grpc: false, interceptors: options.interceptors });
  options.registerRpc(router);

  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get(
    "/metrics",
    requireAccess(options.auth, "read", options.anonymousRead),
    (c) =>
      c.body(options.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
  for (const handler of router.handlers) {
    const handle = createFetchHandler(handler);
    app.on(handler.allowedMethods, handler.requestPath, (c) => handle(c.req.raw));
  }
  options.mountHttp(app);
  return app;
}
