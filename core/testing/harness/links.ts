import { checkInterfaceName } from "./names.ts";
import { run } from "./process.ts";

// Links inside test namespaces, made with iproute2. Every call names its namespace (`ip -n`), so
// nothing here can touch the host's own interfaces.

function ip(netns: string, ...args: string[]): Promise<unknown> {
  return run(["ip", "-n", netns, ...args]);
}

/**
 * A veth pair with one end in each namespace, created there directly (names only need to be unique
 * inside their namespace). Both ends are left down.
 */
export async function addVeth(netnsA: string, nameA: string, netnsB: string, nameB: string): Promise<void> {
  checkInterfaceName(nameA);
  checkInterfaceName(nameB);
  await ip(netnsA, "link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", netnsB);
}

export async function addBridge(netns: string, name: string): Promise<void> {
  await ip(netns, "link", "add", checkInterfaceName(name), "type", "bridge");
}

/** A persistent TAP made by iproute2 (for TAPs owned by the test process, use core/sys Tap). */
export async function addTap(netns: string, name: string): Promise<void> {
  await ip(netns, "tuntap", "add", "dev", checkInterfaceName(name), "mode", "tap");
}

export async function setMaster(netns: string, device: string, bridge: string): Promise<void> {
  await ip(netns, "link", "set", device, "master", bridge);
}

export async function setUp(netns: string, device: string): Promise<void> {
  await ip(netns, "link", "set", device, "up");
}

/** Adds an address in CIDR form ("10.1.0.1/24") to a device. */
export async function addAddress(netns: string, device: string, cidr: string): Promise<void> {
  await ip(netns, "address", "add", cidr, "dev", device);
}

export async function flushAddresses(netns: string, device: string): Promise<void> {
  await ip(netns, "address", "flush", "dev", device);
}

/** The device's MAC address as iproute2 prints it ("02:00:00:00:00:01"). */
export async function macOf(netns: string, device: string): Promise<string> {
  const { stdout } = await run(["ip", "-n", netns, "-j", "link", "show", "dev", device]);
  const [link] = JSON.parse(stdout) as { address?: string }[];
  if (link?.address === undefined) throw new Error(`no MAC address for ${device} in ${netns}`);
  return link.address;
}

/** Routes in the namespace, one `ip route` line each (for asserting "no default route"). */
export async function routes(netns: string): Promise<string[]> {
  const { stdout } = await run(["ip", "-n", netns, "route", "show"]);
  return stdout.split("\n").filter((line) => line.trim() !== "");
}

/**
 * Turns IPv6 off in the namespace, so a link coming up sends no router solicitations or MLD reports
 * into a test that reads every frame.
 */
export async function disableIPv6(netns: string): Promise<void> {
  // Written through /proc (per-namespace under `ip netns exec`) so procps need not be installed.
  const script = "for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done";
  await run(["sh", "-c", script], { netns });
}
