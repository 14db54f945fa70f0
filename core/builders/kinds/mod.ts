// The kinds a builders service offers, one per line: each kind is its own file in this folder.
import type { BuilderKind } from "../kind.ts";
import { grubKind } from "./grub.ts";
import { ipxeKind } from "./ipxe.ts";

export const shippedKinds: BuilderKind[] = [
  ipxeKind,
  grubKind,
];
