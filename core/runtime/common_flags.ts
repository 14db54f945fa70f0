import { join } from "node:path";
import { homedir } from "node:os";
import {
  booleanFlag,
  enumFlag,
  type HostPort,
  hostPortFlag,
  integerFlag,
  stringFlag,
} from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";

/** Data lives under one directory per node: $XDG_DATA_HOME/ctpf, else ~/.local/share/ctpf. */
export function defaultDataDir(env: Record<string, string>): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(base, "ctpf");
}

/** Flags every binary has; a binary adds its own beside them. */
export function commonFlags(options: { listen: HostPort; dataDir: string }) {
  return {
    listen: hostPortFlag({
      name: "listen",
      description: "address of the API and web UI (port 0 picks a free port)",
      default: options.listen,
    }),
    dataDir: stringFlag({
      name: "data-dir",
      description: "directory for the store, the admin token and service files",
      default: options.dataDir,
    }),
    logLevel: enumFlag({
      name: "log-level",
      description: "lowest level logged",
      default: "info",
      values: ["debug", "info", "warn", "error"] as const,
    }),
    logFormat: enumFlag({
      name: "log-format",
      description: "log line format on stderr",
      default: "logfmt",
      values: ["logfmt", "json"] as const,
    }),
    anonymousRead: booleanFlag({
      name: "anonymous-read",
      description: "allow read-only API calls and /metrics without a credential",
      default: false,
    }),
    sessionTtlHours: integerFlag({
      name: "session-ttl-hours",
      description: "lifetime of the session tokens issued by Login",
      default: 12,
      min: 1,
      max: 24 * 365,
    }),
  };
}

/** The values of {@link commonFlags}, which every service's context carries. */
export type CommonFlagValues = FlagValues<ReturnType<typeof commonFlags>>;
