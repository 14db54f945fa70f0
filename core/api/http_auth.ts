import type { MiddlewareHandler } from "hono";
import type { Authenticator } from "../auth/authenticator.ts";
import { type Access, authorize } from "../auth/policy.ts";

/**
 * Guards plain HTTP routes (private files, /metrics, WebDAV) with the same credentials and policy as the
 * RPCs. Unauthenticated callers get 401 with both challenges, so curl -u and browsers know what to send.
 * `onRefused` hears of each refusal (a service counting its own).
 */
export function requireAccess(
  auth: Authenticator,
  access: Access,
  anonymousRead: boolean,
  onRefused?: (status: 401 | 403) => void,
): MiddlewareHandler {
  return async (c, next) => {
    const principal = await auth.authenticate(c.req.header("authorization"));
    const decision = authorize(access, principal, anonymousRead);
    if (!decision.allowed) {
      onRefused?.(decision.reason === "permission_denied" ? 403 : 401);
      if (decision.reason === "permission_denied") return c.text("forbidden\n", 403);
      c.header("WWW-Authenticate", 'Basic realm="ctpf", charset="UTF-8"');
      c.header("WWW-Authenticate", 'Bearer realm="ctpf"', { append: true });
      return c.text("a credential is required\n", 401);
    }
    c.set("principal" as never, decision.principal as never);
    await next();
  };
}
