import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Authenticator } from "../auth/authenticator.ts";
import { authorize } from "../auth/policy.ts";
import type { Logger } from "../log/logger.ts";
import type { Registry } from "../metrics/registry.ts";
import { accessOf } from "./access.ts";
import { principalKey } from "./context.ts";
import { connectErrorOf } from "./domain_errors.ts";

export function authInterceptor(auth: Authenticator, anonymousRead: boolean, log: Logger): Interceptor {
  return (next) => async (request) => {
    const principal = await auth.authenticate(request.header.get("authorization"));
    const decision = authorize(accessOf(request.method), principal, anonymousRead);
    const procedure = `/${request.service.typeName}/${request.method.name}`;
    if (!decision.allowed) {
      log.info("rpc refused", { procedure, reason: decision.reason, principal: principal?.name });
      throw decision.reason === "unauthenticated"
        ? new ConnectError("a credential is required: Authorization: Bearer <token>", Code.Unauthenticated)
        : new ConnectError(`${principal?.name} may not call ${procedure}`, Code.PermissionDenied);
    }
    request.contextValues.set(principalKey, decision.principal);
    return await next(request);
  };
}

/**
 * Gives the domain errors services throw their status codes (core/api/domain_errors.ts). It runs closest
 * to the handlers, so the metrics and logs around it see the codes clients see. A server stream fails
 * while it is read, after the handler returned, so its messages are watched too.
 */
export const domainErrorInterceptor: Interceptor = (next) => async (request) => {
  let response;
  try {
    response = await next(request);
  } catch (error) {
    throw connectErrorOf(error);
  }
  if (!response.stream) return response;
  return { ...response, message: withDomainErrors(response.message) };
};

async function* withDomainErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw connectErrorOf(error);
  }
}

export function metricsInterceptor(metrics: Registry): Interceptor {
  const calls = metrics.counter("ctpf_rpc_requests_total", "RPCs handled, by procedure and code.", [
    "procedure",
    "code",
  ]);
  const seconds = metrics.histogram(
    "ctpf_rpc_duration_seconds",
    "Time to the response headers of unary and streaming RPCs.",
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    ["procedure"],
  );
  return (next) => async (request) => {
    const procedure = `/${request.service.typeName}/${request.method.name}`;
    const started = performance.now();
    try {
      const response = await next(request);
      calls.inc({ procedure, code: "ok" });
      return response;
    } catch (error) {
      calls.inc({ procedure, code: codeName(ConnectError.from(error).code) });
      throw error;
    } finally {
      seconds.observe((performance.now() - started) / 1000, { procedure });
    }
  };
}

/** Code.PermissionDenied → "permission_denied", as the Connect protocol spells codes. */
function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (letter, index) => (index ? "_" : "") + letter.toLowerCase());
}
