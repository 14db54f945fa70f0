// The topology every VPN in gloeth_vs_peers runs on, and what a VPN hands back once it is up.
// Three namespaces A–B–C; underlay veths A–B (10.91.0.0/30) and B–C (10.91.1.0/30), the same
// addressing as tests/gloeth/lab.ts startMesh, so A and C reach each other only through B's VPN
// process. Each VPN puts its layer-2 overlay on 10.200.0.0/24 (A .1, B .2, C .3).
import { type BackgroundProcess, type Lab, type Netns, run, waitFor } from "../../../tests/harness/mod.ts";

export interface ChainNode {
  name: "a" | "b" | "c";
  netns: Netns;
  overlayIp: string;
}

export interface Chain {
  a: ChainNode;
  b: ChainNode;
  c: ChainNode;
  nodes: ChainNode[];
  /** Underlay addresses: A's and B's ends of A–B, B's and C's ends of B–C. */
  underlay: { a: string; bToA: string; bToC: string; c: string };
}

/** A running VPN between A and C (through B), as the measurements see it. */
export interface Overlay {
  a: Netns;
  c: Netns;
  aIp: string;
  cIp: string;
  /** The VPN's own processes on A, B and C (their CPU time is measured). */
  pids(): Promise<number[]>;
  /** Recent logs, for a failure message. */
  logs(): string;
  /** Stops what the lab does not stop itself (the lab then deletes the namespaces). */
  close?(): Promise<void>;
}

export interface Peer {
  /** Row label. */
  name: string;
  /** How it is set up, one line for the table's notes. */
  setup: string;
  /** Commands it needs (checked before it starts; a missing one is a failed row). */
  tools: string[];
  start(lab: Lab, workDir: string): Promise<Overlay>;
}

export const OVERLAY_PREFIX = 24;

export async function startChain(lab: Lab): Promise<Chain> {
  const names = ["a", "b", "c"] as const;
  const nodes: ChainNode[] = [];
  for (const [i, name] of names.entries()) {
    nodes.push({ name, netns: await lab.netns({ ipv6: false }), overlayIp: `10.200.0.${i + 1}` });
  }
  const [a, b, c] = nodes;
  const underlay = { a: "10.91.0.1", bToA: "10.91.0.2", bToC: "10.91.1.1", c: "10.91.1.2" };
  await lab.veth(a.netns, "u0a", b.netns, "u0b");
  await lab.veth(b.netns, "u1b", c.netns, "u1c");
  for (
    const [node, device, ip] of [
      [a, "u0a", underlay.a],
      [b, "u0b", underlay.bToA],
      [b, "u1b", underlay.bToC],
      [c, "u1c", underlay.c],
    ] as const
  ) {
    await node.netns.addAddress(device, `${ip}/30`);
    await node.netns.up(device);
  }
  return { a, b, c, nodes, underlay };
}

/**
 * A persistent TAP "tap0" on every node carrying its overlay address, for daemons that attach to an
 * existing TAP (tinc's Interface, OpenVPN's --dev): no up-scripts needed.
 */
export async function addOverlayTaps(chain: Chain): Promise<void> {
  for (const node of chain.nodes) {
    await node.netns.addTap("tap0");
    await node.netns.addAddress("tap0", `${node.overlayIp}/${OVERLAY_PREFIX}`);
    await node.netns.up("tap0");
  }
}

/** MTU of the device carrying the overlay address on A. */
export async function overlayMtu(overlay: Overlay): Promise<number> {
  const { stdout } = await run(["ip", "-n", overlay.a.name, "-o", "addr", "show", "to", overlay.aIp]);
  const device = stdout.trim().split(/\s+/)[1];
  if (device === undefined) return NaN;
  const link = await run(["ip", "-n", overlay.a.name, "-j", "link", "show", "dev", device]);
  return (JSON.parse(link.stdout) as { mtu: number }[])[0].mtu;
}

/** Waits (at most `timeoutMs`) until A gets a ping answer from C over the overlay. */
export async function waitForOverlay(overlay: Overlay, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => (await overlay.a.run(["ping", "-c1", "-W1", overlay.cIp], { check: false })).code === 0,
    {
      what: `A reaching C (${overlay.cIp}) over the overlay`,
      timeoutMs,
      intervalMs: 200,
      describe: () => overlay.logs(),
    },
  );
}

/** The last `chars` characters of a log file (empty if it does not exist). */
export function tailOf(path: string, chars = 1500): string {
  try {
    return Deno.readTextFileSync(path).slice(-chars);
  } catch {
    return "";
  }
}

/**
 * The overlay of a VPN whose processes on A, B and C are `processes` (in chain order); `extraLog` adds a
 * node's log file to its output for a failure message.
 */
export function overlayOf(
  chain: Chain,
  processes: BackgroundProcess[],
  extraLog: (node: ChainNode) => string = () => "",
): Overlay {
  return {
    a: chain.a.netns,
    c: chain.c.netns,
    aIp: chain.a.overlayIp,
    cIp: chain.c.overlayIp,
    pids: () => Promise.resolve(processes.map((process) => process.pid)),
    logs: () =>
      chain.nodes.map((node, i) => `${node.name}: ${processes[i].output().slice(-1500)}${extraLog(node)}`)
        .join("\n"),
  };
}
