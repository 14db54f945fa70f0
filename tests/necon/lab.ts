// A DHCP lab in network namespaces: necon (the real binary) in a server namespace on a bridge, and
// client namespaces joined to that bridge by veth pairs, each running a real DHCP client.
import type { BackgroundProcess, Lab, Netns } from "../harness/mod.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

export interface DhcpLab {
  server: Netns;
  clients: Netns[];
  /** The client side interface in every client namespace. */
  clientInterface: string;
  necon: RunningBinary;
  configPath: string;
  workDir: string;
  /** Stops necon, runs `whileStopped` (e.g. seeding its store), starts it again on the same data. */
  restart(whileStopped?: () => void | Promise<void>): Promise<void>;
  /** `buf curl` inside the server namespace (the API listens on its loopback). */
  api(method: string, body?: unknown): Promise<unknown>;
}

export interface DhcpLabOptions {
  clients: number;
  /** MAC for client i (default: 02:00:00:00:61:0i). */
  macs?: string[];
  config: (bridge: string) => unknown;
  /** Run necon with an existing data dir (a restart in another lab). */
  dataDir?: string;
}

export async function startDhcpLab(lab: Lab, options: DhcpLabOptions): Promise<DhcpLab & AsyncDisposable> {
  const server = await lab.netns();
  await server.up("lo");
  await server.addBridge("br0");
  await server.addAddress("br0", "10.61.0.1/24");
  await server.up("br0");
  const clients: Netns[] = [];
  for (let i = 0; i < options.clients; i++) {
    const client = await lab.netns();
    await lab.veth(server, `vs${i}`, client, "eth0");
    await server.setMaster(`vs${i}`, "br0");
    await server.up(`vs${i}`);
    await client.ip("link", "set", "eth0", "address", options.macs?.[i] ?? `02:00:00:00:61:0${i}`);
    await client.up("eth0");
    clients.push(client);
  }
  const workDir = await Deno.makeTempDir({ prefix: "ctpf-dhcp-lab-" });
  const configPath = `${workDir}/necon.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(options.config("br0")));
  const dataDir = options.dataDir ?? `${workDir}/data`;
  const start = () => startNecon(server, configPath, dataDir);
  const result = {
    server,
    clients,
    clientInterface: "eth0",
    necon: await start(),
    configPath,
    workDir,
    async restart(whileStopped?: () => void | Promise<void>) {
      await result.necon[Symbol.asyncDispose]();
      await whileStopped?.();
      result.necon = await start();
    },
    async api(method: string, body: unknown = {}) {
      const run = await server.run(bufCurl(result.necon, method, body), { timeoutMs: 15_000 });
      return JSON.parse(run.stdout || "{}");
    },
    async [Symbol.asyncDispose]() {
      await result.necon[Symbol.asyncDispose]();
      if (!options.dataDir) await Deno.remove(workDir, { recursive: true });
    },
  };
  return result;
}

/** A udhcpc/dhclient hook script that records events and configures the address it was given. */
export async function clientScript(workDir: string, name: string): Promise<{ path: string; events: string }> {
  const path = `${workDir}/${name}.sh`, events = `${workDir}/${name}.events`;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
# udhcpc passes the event as $1; dhclient sets $reason.
event="\${1:-$reason}"
ip4="\${ip:-$new_ip_address}"
case "$event" in
  bound|renew|BOUND|RENEW|REBOOT|REBIND) ip addr flush dev "$interface"; ip addr add "$ip4/24" dev "$interface" ;;
  deconfig|RELEASE|EXPIRE|STOP) ip addr flush dev "$interface" ;;
esac
# Recorded last: a test acts on the event (signals the client's process group, hook included), so the
# address must already be in place; a hook killed between flush and add left udhcpc no address to
# send its RELEASE from.
echo "$event ip=$ip4 router=\${router:-$new_routers} dns=\${dns:-$new_domain_name_servers} hostname=\${hostname:-$new_host_name}" >> ${events}
exit 0
`,
  );
  await Deno.chmod(path, 0o755);
  return { path, events };
}

export async function readEvents(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** The real necon binary inside `server`'s namespace (its API on that namespace's loopback). */
export function startNecon(server: Netns, configPath: string, dataDir: string, logLevel = "debug") {
  return startBinary({
    command: [
      "ip",
      "netns",
      "exec",
      server.name,
      Deno.execPath(),
      "run",
      "--allow-all",
      // A benchmark's profile of the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"); empty otherwise.
      ...(Deno.env.get("CTPF_NECON_DENO_FLAGS")?.split(" ").filter(Boolean) ?? []),
      `${root}cmd/necon.ts`,
    ],
    args: ["--dhcp-config", configPath, "--log-level", logLevel],
    dataDir,
  });
}

/** busybox udhcpc in the foreground on eth0 with the hook script; 5 tries, 1 s apart, unless `extra` says. */
export function udhcpc(client: Netns, hook: string, extra: string[] = []): BackgroundProcess {
  return client.spawn(["busybox", "udhcpc", "-f", "-i", "eth0", "-s", hook, "-t", "5", "-T", "1", ...extra]);
}

/** The `buf curl` command line for a NeconService method (run it inside the server namespace). */
export function bufCurl(necon: RunningBinary, method: string, body?: unknown): string[] {
  return bufCurlCommand(necon, "NeconService", method, body);
}

/** The lab's usual configuration: the bridge served, one subnet "lab" with eleven pool addresses. */
export function labConfig(bridge: string, subnet: Record<string, unknown> = {}) {
  return {
    interfaces: [bridge],
    subnets: [{
      id: "lab",
      cidr: "10.61.0.0/24",
      pools: [{ start: "10.61.0.100", end: "10.61.0.110" }],
      ...subnet,
    }],
  };
}
