import { createContextKey } from "@connectrpc/connect";
import type { Principal } from "../auth/authenticator.ts";

/** The authenticated caller of an RPC, set by the auth interceptor for handlers to read. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "principal" });
