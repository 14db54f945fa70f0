import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type ConnectRouter, createConnectRouter, type Interceptor } from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import type { Authenticator } from "../auth/authenticator.ts";
import { completionSignal, withSignal } from "../http/completion_signal.ts";
import type { Registry } from "../metrics/registry.ts";
import { requireAccess } from "./http_auth.ts";
import { apiRouterOptions, maxRequestBytes } from "./router_options.ts";

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
  // The router's read limit and the body limit below both cap what an unauthenticated caller can make
  // the process hold.
  const router = createConnectRouter(apiRouterOptions(options.interceptors));
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
    app.on(handler.allowedMethods, handler.requestPath, endWithResponse, limitBody, (c) => handle(c.req.raw));
  }
  options.mountHttp(app);
  return app;
}

/**
 * Connect ends a call's context (and with it a server stream's subscription) on `request.signal`; reading a
 * served request's signal makes Deno print a warning into our log (core/http/completion_signal.ts). So Connect
 * gets a copy whose signal is the request's end as Deno.serve reports it. It runs before bodyLimit, whose own
 * copy of the request (for bodies without a content-length) then derives from ours, not from the served one.
 * Without Deno.serve's info (an in-process app.fetch) the signal never aborts: streams end when read no more.
 */
const endWithResponse: MiddlewareHandler = async (c, next) => {
  const info = c.env as Deno.ServeHandlerInfo | undefined;
  c.req.raw = withSignal(c.req.raw, info ? completionSignal(info) : new AbortController().signal);
  await next();
};
