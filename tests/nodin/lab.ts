// A LAN in network namespaces for nodin: a server namespace with a bridge (br0, 10.61.0.1/24) and
// client namespaces joined to it by veth pairs, each a "machine" with its own MAC that takes a lease
// with busybox udhcpc. The CTPF binaries run in the server namespace (their APIs on its loopback) and are
// called with buf curl there.
import type { Lab, Netns } from "../harness/mod.ts";
import { waitFor } from "../harness/mod.ts";
import { clientScript, labConfig, udhcpc } from "../necon/lab.ts";
import { eventMatching } from "../necon/wait_events.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";

const root = new URL("../../", import.meta.url).pathname;

export interface NodinLan {
  server: Netns;
  clients: Netns[];
  macs: string[];
  workDir: string;
  /** necon's configuration: br0 served, pool 10.61.0.100-110. */
  neconConfig: string;
}

export async function startNodinLan(lab: Lab, macs: string[]): Promise<NodinLan & AsyncDisposable> {
  const server = await lab.netns({ ipv6: false });
  await server.up("lo");
  await server.addBridge("br0");
  await server.addAddress("br0", "10.61.0.1/24");
  await server.up("br0");
  const clients: Netns[] = [];
  for (const [i, mac] of macs.entries()) {
    const client = await lab.netns({ ipv6: false });
    await lab.veth(server, `vs${i}`, client, "eth0");
    await server.setMaster(`vs${i}`, "br0");
    await server.up(`vs${i}`);
    await client.ip("link", "set", "eth0", "address", mac);
    await client.up("eth0");
    clients.push(client);
  }
  const workDir = await Deno.makeTempDir({ prefix: "ctpf-nodin-lan-" });
  const neconConfig = `${workDir}/necon.json`;
  await Deno.writeTextFile(neconConfig, JSON.stringify(labConfig("br0")));
  return {
    server,
    clients,
    macs,
    workDir,
    neconConfig,
    async [Symbol.asyncDispose]() {
      await Deno.remove(workDir, { recursive: true });
    },
  };
}

/** A CTPF binary (cmd/<entry>.ts) in the server namespace. */
export function startInServer(lan: NodinLan, entry: string, args: string[]): Promise<RunningBinary> {
  return startBinary({
    command: [
      "ip",
      "netns",
      "exec",
      lan.server.name,
      Deno.execPath(),
      "run",
      "--allow-all",
      `${root}cmd/${entry}.ts`,
    ],
    args: ["--log-level", "debug", ...args],
  });
}

/**
 * Every client takes a lease (udhcpc, in the foreground for the test's life) and configures it; `extra`
 * gives a client more udhcpc options (a PXE client's vendor class and architecture).
 */
export async function leaseAll(
  lan: NodinLan,
  extra: (index: number) => string[] = () => [],
): Promise<string[]> {
  const addresses: string[] = [];
  for (const [i, client] of lan.clients.entries()) {
    const hook = await clientScript(lan.workDir, `client${i}`);
    udhcpc(client, hook.path, extra(i));
    const bound = await eventMatching(hook.events, /^bound ip=10\.61\.0\.1\d\d/, `client ${i} bound`);
    addresses.push(/ip=(\S+)/.exec(bound)![1]);
  }
  return addresses;
}

/** One call through buf curl in the server namespace: the answer, or `{ error }`. */
export async function call(
  lan: Pick<NodinLan, "server">,
  binary: RunningBinary,
  service: string,
  method: string,
  body: unknown = {},
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const run = await lan.server.run(bufCurlCommand(binary, service, method, body), {
    timeoutMs: 15_000,
    check: false,
  });
  if (run.code !== 0) return { error: JSON.parse(run.stderr || "{}") };
  return JSON.parse(run.stdout || "{}");
}

export interface InventoryNode {
  id: string;
  name: string;
  macs: string[];
  addresses?: string[];
  lifecycle: string;
  architecture?: string;
  firmware?: string;
  pxeArch?: number;
  labels?: Record<string, string>;
  bootIntent?: string;
  sources: { source: string }[];
}

/** Waits until nodin lists, for every MAC, one node that `accept`s; returns them by MAC. */
export async function waitForNodes(
  lan: Pick<NodinLan, "server" | "macs">,
  nodin: RunningBinary,
  what: string,
  accept: (node: InventoryNode) => boolean,
): Promise<Map<string, InventoryNode>> {
  let last: InventoryNode[] = [];
  return await waitFor(async () => {
    last = (await call(lan, nodin, "NodinService", "ListInventory")).nodes ?? [];
    const byMac = new Map(last.flatMap((node) => node.macs.map((mac) => [mac, node] as const)));
    return lan.macs.every((mac) => byMac.has(mac) && accept(byMac.get(mac)!)) && byMac;
  }, { what, timeoutMs: 30_000, intervalMs: 300, describe: () => JSON.stringify(last, null, 1) });
}

export const sourcesOf = (node: InventoryNode) => node.sources.map((s) => s.source).sort().join(",");
