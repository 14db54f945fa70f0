// An inventory's hosts named by ssh_config aliases, as with ssh itself: a host's `ssh.address` (or, when
// absent, its name) is looked up in the user's ssh_config, and what the matching Host blocks say fills in
// what the inventory leaves out. What the inventory writes wins, the host's own `ssh` or the shared `ssh`
// (as ssh's command-line options beat its config): a `Host *` block in a user's config must not override
// the user an inventory names for all its hosts. It works on the inventory as read (before the deployer's
// parser), so both deployers get it the same way.
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

/** The host lists of both deployers' inventories: gloeth's `hosts`, k3s's `servers` and `agents`. */
const HOST_LISTS = ["hosts", "servers", "agents"];

/** The inventory with each host's `ssh` completed from `config`; hosts of another shape are left for the parser to name. */
export function applySshConfig(inventory: Input, config: SshConfig): Input {
  const shared: Input = isObject(inventory.ssh) ? inventory.ssh : {};
  const completed = { ...inventory };
  for (const list of HOST_LISTS) {
    const hosts = inventory[list];
    if (Array.isArray(hosts)) completed[list] = hosts.map((host) => completeHost(host, shared, config));
  }
  return completed;
}

function completeHost(host: unknown, shared: Input, config: SshConfig): unknown {
  if (!isObject(host) || (host.ssh !== undefined && !isObject(host.ssh))) return host;
  const own: Input = (host.ssh as Input | undefined) ?? {};
  const alias = typeof own.address === "string" ? own.address : host.name;
  if (typeof alias !== "string" || alias === "") return host;
  const found = asInput(config.resolve(alias));
  const given: Input = { ...shared, ...own };
  for (const key of Object.keys(found)) {
    if (key !== "address" && given[key] !== undefined) delete found[key];
  }
  // A route the inventory names (a jump host or a proxy command) is not mixed with another one.
  if (given.jump !== undefined || given.proxyCommand !== undefined) {
    delete found.jump;
    delete found.proxyCommand;
  }
  return { ...host, ssh: { ...found, ...own, address: found.address } };
}
