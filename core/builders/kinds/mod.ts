// The kinds a builders service offers, one per line: each kind is its own file in this folder.
import type { BuilderKind } from "../kind.ts";
import { alpineKind } from "./alpine.ts";
import { imgKind } from "./img.ts";
import { ipxeKind } from "./ipxe.ts";
import { rpiKind } from "./rpi.ts";
import { ubootKind } from "./uboot.ts";

export const shippedKinds: BuilderKind[] = [
  ipxeKind,
  ubootKind,
  imgKind,
  rpiKind,
  alpineKind,
];
