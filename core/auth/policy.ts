import type { Principal } from "./authenticator.ts";
import { anonymousViewer } from "./authenticator.ts";

/**
 * What a call needs: `public` (Login), `self` (any signed-in principal, e.g. Logout), `read` (no side
 * effects: viewers may call it) or `write` (admins only).
 */
export type Access = "public" | "self" | "read" | "write";

export type Decision =
  | { allowed: true; principal: Principal | undefined }
  | { allowed: false; reason: "unauthenticated" | "permission_denied" };

export function authorize(
  access: Access,
  principal: Principal | undefined,
  anonymousRead: boolean,
): Decision {
  if (access === "public") return { allowed: true, principal };
  if (!principal) {
    if (access === "read" && anonymousRead) return { allowed: true, principal: anonymousViewer };
    return { allowed: false, reason: "unauthenticated" };
  }
  if (access === "write" && principal.role !== "admin") {
    return { allowed: false, reason: "permission_denied" };
  }
  return { allowed: true, principal };
}
