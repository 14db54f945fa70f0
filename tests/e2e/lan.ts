// The networks the network-boot tests put a diskless machine on, the servers they start there, and the
// pieces of their set-up that every such test shares.
import { type BackgroundProcess, inNetns, type Lab, type Netns } from "../harness/mod.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The argv that runs one of our binaries (cmd/<entry>) inside `ns`. */
export function binaryIn(ns: Netns, entry: string): string[] {
  return inNetns([Deno.execPath(), "run", "--allow-all", `${root}cmd/${entry}`], ns.name);
}

/** One namespace whose TAP is the machine's link, with the boot node at 10.66.0.1/24 on it. */
export async function tapLan(lab: Lab): Promise<Netns> {
  const ns = await lab.netns();
  await ns.up("lo");
  await ns.addTap("tap0");
  await ns.addAddress("tap0", "10.66.0.1/24");
  await ns.up("tap0");
  return ns;
}

/** necon's configuration for tapLan's network, written to `path`. */
export async function writeTapLanDhcpConfig(path: string): Promise<void> {
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      interfaces: ["tap0"],
      subnets: [{
        cidr: "10.66.0.0/24",
        pools: [{ start: "10.66.0.100", end: "10.66.0.150" }],
        routers: ["10.66.0.1"],
      }],
    }),
  );
}

/**
 * A LAN bridge (in `lan`) joining the machine's TAP (tap0), someone else's DHCP server (`dhcp`,
 * 10.67.0.2/24) and the boot node (`boot`, 10.67.0.1/24), each on its own eth0.
 */
export async function proxyLan(lab: Lab): Promise<{ lan: Netns; dhcp: Netns; boot: Netns }> {
  const lan = await lab.netns(), dhcp = await lab.netns(), boot = await lab.netns();
  await lan.addBridge("br0");
  await lan.up("br0");
  await lan.addTap("tap0");
  await lan.setMaster("tap0", "br0");
  await lan.up("tap0");
  const hosts = [[dhcp, "p-dhcp", "10.67.0.2/24"], [boot, "p-boot", "10.67.0.1/24"]] as const;
  for (const [ns, port, address] of hosts) {
    await lab.veth(lan, port, ns, "eth0");
    await lan.setMaster(port, "br0");
    await lan.up(port);
    await ns.addAddress("eth0", address);
    await ns.up("eth0");
    await ns.up("lo");
  }
  return { lan, dhcp, boot };
}

/** dnsmasq in the foreground with no configuration, no DNS, and its files in `work` (named by `label`). */
export function spawnDnsmasq(ns: Netns, work: string, label: string, args: string[]): BackgroundProcess {
  return ns.spawn([
    "dnsmasq",
    "--no-daemon",
    "--conf-file=/dev/null",
    "--port=0",
    "--bind-interfaces",
    `--dhcp-leasefile=${work}/${label}.leases`,
    `--pid-file=${work}/${label}.pid`,
    "--log-dhcp",
    ...args,
  ]);
}
