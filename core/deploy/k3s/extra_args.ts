// The user's extra k3s flags (`--disable=traefik`, `--node-label=zone=a`), turned into config.yaml
// entries: k3s reads the same options from its config file as from its command line, and the file keeps
// the unit free of options. Flags k3sdeployer sets itself are refused, so a user's flag can never put
// the token on a command line or point a node away from the mesh.
import type { FieldError } from "../../errors/field_errors.ts";
import type { ConfigEntry, ConfigValue } from "./config_file.ts";

/** Set by the plan from the inventory; a user's flag must not contradict it. */
const MANAGED: Record<string, string> = {
  "token": "the cluster token is a secret: give it as tokenFile, never as an argument",
  "token-file": "the token file is written by k3sdeployer from tokenFile",
  "agent-token": "a token is a secret and never an argument",
  "agent-token-file": "not supported: agents join with the cluster token",
  "server": "joining servers and agents connect to the first server's overlay address",
  "cluster-init": "the first server initialises the cluster",
  "node-ip": "each node's address is its overlay address",
  "advertise-address": "each server advertises its overlay address",
  "flannel-iface": "each node's flannel interface is its overlay interface",
  "node-name": "each node is named after its inventory name",
  "tls-san": "give extra certificate names as tlsSans",
  "config": "the config file is /etc/rancher/k3s/config.yaml",
  "data-dir": "the air-gap images and the uninstall steps use k3s's default data directory",
  "write-kubeconfig": "the kubeconfig is fetched from k3s's default place",
};

const FLAG = /^--([a-z0-9][a-z0-9-]*)(?:=(.*))?$/s;

/** Entries in the order given; a flag given twice becomes a list, as repeatable k3s flags are. */
export function extraArgEntries(args: readonly string[], field: string, errors: FieldError[]): ConfigEntry[] {
  const values = new Map<string, ConfigValue>();
  args.forEach((arg, index) => {
    const at = `${field}[${index}]`;
    const match = typeof arg === "string" ? FLAG.exec(arg) : null;
    if (!match) {
      // The argument itself is not repeated: it could be a secret typed in the wrong place.
      errors.push({ field: at, message: "write each flag as --name=value or --name (a boolean flag)" });
      return;
    }
    const [, key, value] = match;
    if (MANAGED[key]) {
      errors.push({ field: at, message: `--${key} is set by k3sdeployer: ${MANAGED[key]}` });
      return;
    }
    const next: ConfigValue = value === undefined ? true : value;
    const before = values.get(key);
    if (before === undefined) values.set(key, next);
    else if (typeof before === "boolean" || typeof next === "boolean") {
      errors.push({ field: at, message: `--${key} is given twice` });
    } else values.set(key, [...(Array.isArray(before) ? before : [before]), next]);
  });
  return [...values];
}
