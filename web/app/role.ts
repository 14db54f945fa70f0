import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";

/** The signed-in caller's role, as WhoAmI told the shell. */
export const RoleContext = createContext<Role>(Role.UNSPECIFIED);

/**
 * Whether the caller may change things. Pages leave out the controls a viewer could only be refused (the
 * API refuses them anyway: this is about not offering them).
 */
export function useCanChange(): boolean {
  return useContext(RoleContext) === Role.ADMIN;
}
