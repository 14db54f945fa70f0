import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
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

/** Largest RPC request body accepted; service APIs carry configuration, not files. */
export const maxRequestBytes = 1 << 20;

/**
 * One Hono app per binary: Connect (Connect + gRPC-Web protocols; native gRPC needs HTTP/2 trailers that
 * a fetch Response cannot send) at /<package.Service>/<Method>, /healthz, /metrics, then the web UI.
 */
export function createApp(options: AppOptions): Hono {
  // Connect reads and parses a request before interceptors (and so auth) run: both limits cap what an
  // unauthenticated caller can make the process hold.
  const router = createConnectRouter({
    grpc: false,
    interceptors: options.interceptors,
    readMaxBytes: maxRequestBytes,
  });
  options.registerRpc(router);

  const app = new Hono();
  const limitBody = bodyLimit({
    maxSize: maxRequestBytes,
    onError: (c) =>
      c.json({ code: "resource_exhausted", message: `request body over ${maxRequestBytes} bytes` }, 413),
  });
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get(
    "/metrics",
    requireAccess(options.auth, "read", options.anonymousRead),
    (c) =>
      c.body(options.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
  for (const handler of router.handlers) {
    const handle = createFetchHandler(handler);
    app.on(handler.allowedMethods, handler.requestPath, limitBody, (c) => handle(c.req.raw));
  }
  options.mountHttp(app);
  return app;
}
