import { ConfigError } from "../../config/flags.ts";

/**
 * The hosts --limit keeps, in inventory order. An empty limit keeps all; a name the inventory does not
 * have is a usage error (a typo must not quietly deploy nothing).
 */
export function limitHosts<H extends { name: string }>(hosts: H[], limit: string[]): H[] {
  if (limit.length === 0) return hosts;
  const names = new Set(hosts.map((host) => host.name));
  const unknown = limit.filter((name) => !names.has(name));
  if (unknown.length) {
    throw new ConfigError(
      `--limit: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not in the inventory ` +
        `(it has ${[...names].join(", ")})`,
    );
  }
  return hosts.filter((host) => limit.includes(host.name));
}
