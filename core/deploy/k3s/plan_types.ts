// A k3s cluster's desired state as data: for each host the files, the unit, the commands that make it
// run and the steps that remove it. An executor applies it step by step, reporting each one changed or
// unchanged; nothing here touches a host, and no secret is in it (only where to read one).
import type { Architecture } from "./architecture.ts";
import type { K3sRole } from "./paths.ts";

export type PlannedContent =
  /** Written as is. */
  | { kind: "text"; text: string }
  /** Copied byte for byte from a file on the controller (the air-gap artifacts). */
  | { kind: "controller-file"; path: string }
  /** A secret file on the controller, read when the file is written and never shown (the token). */
  | { kind: "secret-file"; path: string }
  /** Fetched from `url`; its SHA-256 is the line for `checksumName` in the list at `checksumsUrl`. */
  | { kind: "download"; url: string; checksumsUrl: string; checksumName: string };

export interface PlannedFile {
  /** Absolute path on the host; its directory is made if missing. */
  path: string;
  mode: number;
  /** Its content must not appear in logs, plans or diffs. */
  secret: boolean;
  content: PlannedContent;
}

/**
 * When a command runs, from what the file and unit steps before it reported: always; only when the unit
 * file changed; when anything (files or unit) changed; only when nothing did (to make sure it runs).
 */
export type CommandCondition = "always" | "unit-changed" | "any-changed" | "none-changed";

export interface PlannedCommand {
  argv: string[];
  when: CommandCondition;
  /** A check run first: its success means there is nothing to do (the step is unchanged). */
  unless?: string[];
}

export type UninstallStep =
  /** A command; `mayFail` when its failure only means there was nothing to do. */
  | { kind: "command"; argv: string[]; mayFail: boolean }
  /** `rm -rf` of a path; changed when it existed. */
  | { kind: "remove"; path: string };

export interface K3sHostPlan {
  host: string;
  role: K3sRole;
  /** Runs with cluster-init. */
  first: boolean;
  arch: Architecture;
  /** Written in this order, before the unit. */
  files: PlannedFile[];
  unit: { name: string; path: string; text: string };
  /** What k3s effectively runs as: the unit's command with config.yaml's options as flags. */
  invocation: string[];
  /** After the files and the unit. */
  activate: PlannedCommand[];
  /** The installed binary's `--version` must print a line containing `expect` (when a version is given). */
  versionCheck?: { argv: string[]; expect: string };
  uninstall: UninstallStep[];
}

export interface K3sPlan {
  cluster: string;
  /**
   * Hosts by name, in the order they must be brought up: each stage finishes before the next begins. The
   * first server alone, then the other servers one at a time (etcd adds one member at a time), then all
   * agents at once.
   */
  stages: string[][];
  hosts: K3sHostPlan[];
  /** The controller's token file, made 0600 if absent and never regenerated (ensureClusterToken). */
  tokenFile: string;
  /** Where to fetch the admin kubeconfig and how to rewrite it (rewriteKubeconfig). */
  kubeconfig: { host: string; path: string; server: string; name: string };
}
