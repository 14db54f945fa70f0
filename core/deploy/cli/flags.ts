// The flags both deployers share. Values come, as for every CTPF binary, from the command line, the
// environment (CTPF_<BINARY>_<FLAG>), a --config JSON file or the default (core/config/load.ts).
import { booleanFlag, integerFlag, listFlag, stringFlag } from "../../config/flags.ts";
import type { FlagValues } from "../../config/load.ts";
import { defaultKnownHostsPath, defaultSshConfigPath } from "./paths.ts";

type Env = Record<string, string | undefined>;

export function deployerFlags(env: Env) {
  return {
    inventory: stringFlag({
      name: "inventory",
      description: "the inventory file (JSON); may also be given as the one argument",
      default: "",
      defaultText: "none",
      allowEmpty: true,
    }),
    plan: booleanFlag({
      name: "plan",
      description: "dry run: connect, look and say what would change; change nothing",
      default: false,
    }),
    knownHosts: stringFlag({
      name: "known-hosts",
      description: "known_hosts file: a host's first key is recorded (0600), a changed key is refused",
      default: defaultKnownHostsPath(env),
    }),
    sshConfig: stringFlag({
      name: "ssh-config",
      description: "ssh_config file for Host aliases (HostName, User, Port, IdentityFile, ProxyJump, " +
        "ProxyCommand); '' for none; used when it exists",
      default: defaultSshConfigPath(env),
      allowEmpty: true,
    }),
    concurrency: integerFlag({
      name: "concurrency",
      description: "hosts worked on at once",
      default: 8,
      min: 1,
      max: 256,
    }),
    hostTimeout: integerFlag({
      name: "host-timeout",
      description: "seconds one host may take, connecting included, before it counts as failed",
      default: 600,
      min: 1,
      max: 86_400,
    }),
    json: booleanFlag({
      name: "json",
      description: "print the results as one JSON object on stdout (live lines go to stderr)",
      default: false,
    }),
    quiet: booleanFlag({
      name: "quiet",
      description: "no live lines: only the summary (and errors)",
      default: false,
    }),
    verbose: booleanFlag({
      name: "verbose",
      description: "live lines include every command run and its exit status, and the summary each step",
      default: false,
    }),
  };
}

export type DeployerFlagValues = FlagValues<ReturnType<typeof deployerFlags>>;

/**
 * --limit, for a deployer whose hosts can be worked on alone (not gloeth's: a mesh's hosts all carry each
 * other's addresses, and a host left out of its inventory is revoked). Check names with `limitHosts`.
 */
export function limitFlag() {
  return {
    limit: listFlag({
      name: "limit",
      description: "only these inventory hosts (comma-separated names)",
      defaultText: "all",
    }),
  };
}
