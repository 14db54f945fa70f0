// An inventory's hosts named by ssh_config aliases, as with ssh itself: a host's `ssh.address` (or, when
// absent, its name) is looked up in the user's ssh_config, and what a matching Host block says fills in
// the fields the host's own `ssh` leaves out. Precedence: the host's own `ssh` > ssh_config > the
// inventory's shared `ssh` defaults (ssh_config speaks about that one host; the shared settings about all).
// It works on the inventory as read (before the deployer's parser), so both deployers get it the same way.
import type { HostSpec } from "../ssh/host.ts";
import type { SshConfig } from "../ssh/ssh_config.ts";

type Input = Record<string, unknown>;

function isObject(value: unknown): value is Input {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A resolved HostSpec as the inventory's `ssh` object writes it (jump hosts nested the same way). */
function asInput(spec: HostSpec): Input {
  const input: Input = { address: spec.address };
  if (spec.port !== undefined) input.port = spec.port;
  if (spec.user !== undefined) input.user = spec.user;
  if (spec.identityFiles?.length) input.identityFiles = spec.identityFiles;
  if (spec.proxyCommand !== undefined) input.proxyCommand = spec.proxyCommand;
  if (spec.connectTimeoutMs !== undefined) input.connectTimeoutMs = spec.connectTimeoutMs;
  if (spec.jump) input.jump = asInput(spec.jump);
  return input;
}

/** The inventory with each host's `ssh` completed from `config`; hosts of another shape are left for the parser to name. */
export function applySshConfig(inventory: Input, config: SshConfig): Input {
  if (!Array.isArray(inventory.hosts)) return inventory;
  const hosts = inventory.hosts.map((host) => {
    if (!isObject(host) || (host.ssh !== undefined && !isObject(host.ssh))) return host;
    const own: Input = (host.ssh as Input | undefined) ?? {};
    const alias = typeof own.address === "string" ? own.address : host.name;
    if (typeof alias !== "string" || alias === "") return host;
    const found = asInput(config.resolve(alias));
    // A route the host names itself (a jump host or a proxy command) is not mixed with another one.
    if (own.jump !== undefined || own.proxyCommand !== undefined) {
      delete found.jump;
      delete found.proxyCommand;
    }
    return { ...host, ssh: { ...found, ...own, address: found.address } };
  });
  return { ...inventory, hosts };
}
