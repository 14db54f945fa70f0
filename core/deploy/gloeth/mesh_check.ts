// Whether the mesh formed: every node pings every other node's overlay address, over SSH from each host,
// within a deadline (links come up and routes spread in the seconds after the units start).
import type { HostSpec } from "../ssh/host.ts";
import type { KnownHosts } from "../ssh/known_hosts.ts";
import { type HostOutcome, runOnHosts } from "../ssh/run_hosts.ts";
import { shellQuote } from "../ssh/shell.ts";

export interface MeshReach {
  reached: string[];
  missing: string[];
}

export interface MeshCheckOptions {
  knownHosts: KnownHosts;
  /** How long each host keeps trying an address; default 30 s for the first, shared by all. */
  timeoutSeconds?: number;
  onLog?: (host: string, line: string) => void;
}

/** A POSIX sh script that pings each address until it answers or the shared deadline passes. */
export function pingScript(addresses: string[], timeoutSeconds: number): string {
  const quoted = addresses.map(shellQuote).join(" ");
  return [
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    `for address in ${quoted}; do`,
    `  until ping -n -q -c 1 -W 1 "$address" >/dev/null 2>&1; do`,
    `    if [ "$(date +%s)" -ge "$deadline" ]; then echo "missing $address"; continue 2; fi`,
    "    sleep 0.3",
    "  done",
    `  echo "reached $address"`,
    "done",
  ].join("\n");
}

export async function checkMesh(
  nodes: { ssh: HostSpec; address: string }[],
  options: MeshCheckOptions,
): Promise<HostOutcome<MeshReach>[]> {
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  const addressOf = new Map(nodes.map((node) => [node.ssh.name, node.address]));
  return await runOnHosts(nodes.map((node) => node.ssh), async (target) => {
    const others = nodes.filter((node) => node.ssh.name !== target.name).map((node) => node.address);
    if (others.length === 0) return { reached: [], missing: [] };
    const { stdout } = await target.connection.exec(pingScript(others, timeoutSeconds), {
      timeoutMs: (timeoutSeconds + 10 + others.length * 2) * 1000,
    });
    const reach: MeshReach = { reached: [], missing: [] };
    for (const line of stdout.trim().split("\n")) {
      const [verdict, address] = line.split(" ");
      if (verdict === "reached") reach.reached.push(address);
      else if (verdict === "missing") reach.missing.push(address);
    }
    const self = addressOf.get(target.name);
    target.connection.log(
      `mesh from ${self}: reached ${reach.reached.join(", ") || "none"}` +
        (reach.missing.length ? `; missing ${reach.missing.join(", ")}` : ""),
    );
    return reach;
  }, { knownHosts: options.knownHosts, onLog: options.onLog });
}
