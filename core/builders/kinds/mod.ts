// The kinds a builders service offers, one per line: each kind is its own file in this folder.
import type { BuilderKind } from "../kind.ts";
import { alpineKind } from "./alpine.ts";
import { grubKind } from "./grub.ts";
import { imgKind } from "./img.ts";
import { ipxeKind } from "./ipxe.ts";
import { isoKind } from "./iso.ts";
import { rpiKind } from "./rpi.ts";
import { syslinuxKind } from "./syslinux.ts";
import { ubootKind } from "./uboot.ts";

export const shippedKinds: BuilderKind[] = [
  ipxeKind,
  grubKind,
  syslinuxKind,
  isoKind,
  ubootKind,
  imgKind,
  rpiKind,
  alpineKind,
];
