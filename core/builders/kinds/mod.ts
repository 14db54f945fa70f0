// The kinds a builders service offers, one per line: each kind is its own file in this folder.
import type { BuilderKind } from "../kind.ts";
import { ipxeKind } from "./ipxe.ts";
import { isoKind } from "./iso.ts";
import { syslinuxKind } from "./syslinux.ts";

export const shippedKinds: BuilderKind[] = [
  ipxeKind,
  syslinuxKind,
  isoKind,
];
