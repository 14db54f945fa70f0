import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { Access } from "../auth/policy.ts";

// Methods that need no credential at all, and methods any signed-in caller may use on itself.
const publicMethods = new Set(["ctpf.v1.AuthService.Login"]);
const selfMethods = new Set(["ctpf.v1.AuthService.Logout"]);

/**
 * A method's access class comes from its schema: `option idempotency_level = NO_SIDE_EFFECTS` marks a
 * read; everything else mutates and needs an admin. A new RPC is therefore protected by default.
 */
export function accessOf(method: DescMethod): Access {
  const name = `${method.parent.typeName}.${method.name}`;
  if (publicMethods.has(name)) return "public";
  if (selfMethods.has(name)) return "self";
  return method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ? "read" : "write";
}
