import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";

const storageKey = "ctpf.token";

export function savedToken(): string | null {
  return sessionStorage.getItem(storageKey);
}

export function saveToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(storageKey);
  else sessionStorage.setItem(storageKey, token);
}

// The token travels in the Authorization header, never in a cookie, so other sites cannot ride on it.
const bearer: Interceptor = (next) => (request) => {
  const token = savedToken();
  if (token) request.header.set("authorization", `Bearer ${token}`);
  return next(request);
};

const transport = createConnectTransport({ baseUrl: location.origin, interceptors: [bearer] });

export function client<S extends DescService>(service: S): Client<S> {
  return createClient(service, transport);
}
