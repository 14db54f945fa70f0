// A gloeth deployment as data: for each host, the release it gets (by architecture), the files written
// (the node's own, made on the controller, and the flags), and the unit; the hosts that left and are
// revoked; the overlay addresses the mesh check pings. Nothing here touches a host, and no secret is in
// it: node keys are named by their path on the controller.
import type { Architecture } from "../ssh/facts.ts";
import type { HostSpec } from "../ssh/host.ts";
import type { ReleaseArchive } from "./release.ts";

export type PlannedContent =
  | { kind: "text"; text: string }
  /** A file on the controller, read when written (a node file; made by node-init if the node is new). */
  | { kind: "controller-file"; path: string };

export interface PlannedFile {
  path: string;
  mode: number;
  /** Its digest stays out of the host's log. */
  secret: boolean;
  content: PlannedContent;
}

export interface GloethHostPlan {
  host: string;
  ssh: HostSpec;
  overlayAddress?: string;
  relay: boolean;
  /** The architecture required; undefined: the detected one. */
  arch?: Architecture;
  /** The archives it may get, by architecture (only the required one when `arch` is set). */
  archives: Partial<Record<Architecture, ReleaseArchive>>;
  /** The node's controller-side folder (node-init makes it when absent). */
  nodeDir: string;
  /** Node files then the flags file, before the unit. */
  files: PlannedFile[];
  /** The flags as the env file sets them, for the description. */
  flags: Record<string, string>;
  unit: string;
}

export interface GloethRemoval {
  host: string;
  /** The serial revoked. */
  serial: string;
  /** How it was reached when it was deployed: its unit is stopped there if it answers. */
  ssh: HostSpec;
  /**
   * The current host at the same SSH address and port (the machine renamed): its certificate is revoked,
   * but nothing is stopped there, since gloeth runs there under the new name.
   */
  sameMachineAs?: string;
}

export interface GloethPlan {
  version: string;
  networkDir: string;
  hosts: GloethHostPlan[];
  removals: GloethRemoval[];
  /** Each node with an overlay address pings every other one. */
  mesh: { host: string; address: string }[];
}
