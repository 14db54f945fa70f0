import type { ConnectRouterOptions, Interceptor } from "@connectrpc/connect";
import { domainErrorInterceptor } from "./interceptors.ts";

/** Largest RPC request body accepted; service APIs carry configuration, not files. */
export const maxRequestBytes = 1 << 20;

/**
 * How every binary's Connect router is built, and the in-process router tests call: the binary's
 * interceptors (outermost first), then the one that gives domain errors their codes, for every service.
 */
export function apiRouterOptions(interceptors: Interceptor[]): ConnectRouterOptions {
  return {
    // Native gRPC needs HTTP/2 trailers, which a fetch Response cannot send.
    grpc: false,
    interceptors: [...interceptors, domainErrorInterceptor],
    // Connect reads and parses a request before interceptors (and so auth) run: this caps what an
    // unauthenticated caller can make the process hold.
    readMaxBytes: maxRequestBytes,
  };
}
