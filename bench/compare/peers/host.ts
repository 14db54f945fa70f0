// What gloeth_vs_peers must leave as it found it on the host: the root namespace's interfaces, this
// process's namespaces, /run (wireguard-go's and tinc's default paths), /etc/resolv.conf and /etc/hosts.
import { listNetns, ownerPid, run } from "../../../tests/harness/mod.ts";

export interface HostState {
  links: string[];
  ownNamespaces: string[];
  run: string[];
  resolvConf: string;
  hosts: string;
}

function readOrEmpty(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

export async function hostState(): Promise<HostState> {
  const links = (await run(["ip", "-o", "link", "show"])).stdout.split("\n")
    .map((line) => line.split(":")[1]?.trim().split("@")[0]).filter((name) => name);
  return {
    links: links.toSorted(),
    ownNamespaces: (await listNetns()).filter((name) => ownerPid(name) === Deno.pid),
    run: [...Deno.readDirSync("/run")].map((entry) => entry.name).toSorted(),
    resolvConf: readOrEmpty("/etc/resolv.conf"),
    hosts: readOrEmpty("/etc/hosts"),
  };
}

/** One line per difference between two snapshots (none: the host is as it was). */
export function hostChanges(before: HostState, after: HostState): string[] {
  const changes: string[] = [];
  const diff = (what: string, a: string[], b: string[]) => {
    const added = b.filter((x) => !a.includes(x)), removed = a.filter((x) => !b.includes(x));
    if (added.length > 0) changes.push(`${what} added: ${added.join(", ")}`);
    if (removed.length > 0) changes.push(`${what} removed: ${removed.join(", ")}`);
  };
  diff("root-namespace links", before.links, after.links);
  diff("namespaces of this run", before.ownNamespaces, after.ownNamespaces);
  diff("/run entries", before.run, after.run);
  if (before.resolvConf !== after.resolvConf) changes.push("/etc/resolv.conf changed");
  if (before.hosts !== after.hosts) changes.push("/etc/hosts changed");
  return changes;
}
