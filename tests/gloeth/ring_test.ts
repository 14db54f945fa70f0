// A four-node ring A–B–C–D–A in namespaces: A's traffic to C survives B's death (it moves to D within
// 5 s) and, once B is back, survives D's death too (so the path through B works again).
import { rootTest, waitFor, withLab } from "../harness/mod.ts";
import { assert } from "../support/assert.ts";
import { type Mesh, type MeshNode, startMesh, waitUntilReachable } from "./lab.ts";

/** A test on a fresh ring A–B–C–D–A, once A reaches C. */
function ringTest(name: string, body: (mesh: Mesh, nodes: MeshNode[]) => Promise<void>): void {
  rootTest({
    name,
    tools: ["ping", "tcpdump"],
    async fn() {
      await withLab(async (lab) => {
        await using mesh = await startMesh(lab, 4, [[0, 1], [1, 2], [2, 3], [0, 3]]);
        const [a, , c] = mesh.nodes;
        await waitUntilReachable(a, c);
        await body(mesh, mesh.nodes);
      });
    },
  });
}

/** Pings every 100 ms for `seconds`; returns the longest run of lost replies, in ms. */
async function longestOutage(ping: Deno.ChildProcess): Promise<{ longestMs: number; received: number }> {
  const output = new TextDecoder().decode((await ping.output()).stdout);
  const sequences = [...output.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  let longest = 0;
  for (let i = 1; i < sequences.length; i++) longest = Math.max(longest, sequences[i] - sequences[i - 1] - 1);
  return { longestMs: longest * 100, received: sequences.length };
}

/** Which of `b` and `d` carries a→c now: tcpdump on both while a pings c for a second. */
async function carrierOf(mesh: Mesh, a: MeshNode, c: MeshNode, b: MeshNode, d: MeshNode): Promise<MeshNode> {
  const bytes = new Map<string, number>();
  const dumps = [b, d].map((node) => {
    const file = `${mesh.workDir}/${node.name}-carrier.pcap`;
    return {
      node,
      file,
      dump: node.netns.spawn(["tcpdump", "--immediate-mode", "-i", "any", "-U", "-w", file]),
    };
  });
  await waitFor(() => dumps.every(({ dump }) => /listening on/.test(dump.output())), {
    what: "tcpdump on B and D",
  });
  await a.netns.run(["ping", "-c10", "-i0.1", "-s", "1000", c.overlayIp], { check: false });
  for (const { node, file, dump } of dumps) {
    await dump.stop();
    bytes.set(node.name, (await Deno.stat(file)).size);
  }
  const [viaB, viaD] = [bytes.get(b.name)!, bytes.get(d.name)!];
  assert(
    Math.max(viaB, viaD) > 10_000,
    `neither ${b.name} (${viaB} B) nor ${d.name} (${viaD} B) carried A→C`,
  );
  return viaB > viaD ? b : d;
}

ringTest(
  "gloeth: ring A–B–C–D–A — A→C moves to D within 5 s when B dies, and the path through B returns",
  async (mesh, [a, b, c, d]) => {
    const pingFor = (seconds: number) =>
      new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          a.netns.name,
          "ping",
          "-i",
          "0.1",
          "-W",
          "1",
          "-w",
          String(seconds),
          c.overlayIp,
        ],
        stdout: "piped",
        stderr: "null",
      }).spawn();

    const carrier = () => carrierOf(mesh, a, c, b, d);
    const active = await carrier();
    const standby = active === b ? d : b;
    const first = pingFor(8);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    active.process!.process.kill("SIGKILL");
    const outage = await longestOutage(first);
    console.log(
      `${active.name} (carrying A→C) killed: longest outage ${outage.longestMs} ms, ${outage.received} replies`,
    );
    assert(outage.longestMs <= 5000, `A→C was down ${outage.longestMs} ms after ${active.name} died`);
    assert(outage.received >= 30, `only ${outage.received} replies in 8 s`);
    assert(
      await carrier() === standby,
      `A→C does not run through ${standby.name} after ${active.name} died`,
    );
    await mesh.stop(active);

    // The dead node returns; then the standby dies, and A→C must run through the returned one.
    await mesh.start(active);
    await waitFor(() => ((active.process?.output() ?? "").match(/link up/g) ?? []).length >= 2, {
      what: `${active.name}'s links back`,
      timeoutMs: 20_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const second = pingFor(8);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    standby.process!.process.kill("SIGKILL");
    const again = await longestOutage(second);
    console.log(
      `${standby.name} killed after ${active.name} returned: longest outage ${again.longestMs} ms`,
    );
    assert(again.longestMs <= 5000, `A→C was down ${again.longestMs} ms after ${standby.name} died`);
    assert(again.received >= 30, `only ${again.received} replies in 8 s`);
    assert(await carrier() === active, `A→C does not run through ${active.name} again`);
  },
);

ringTest(
  "gloeth: ring — when the node carrying A→C goes silent (no FIN, no RST), traffic moves within 5 s",
  async (mesh, [a, b, c, d]) => {
    const active = await carrierOf(mesh, a, c, b, d);
    const ping = new Deno.Command("ip", {
      args: ["netns", "exec", a.netns.name, "ping", "-i", "0.1", "-W", "1", "-w", "10", c.overlayIp],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Its links stop carrying anything, but no connection is closed: only keepalives can tell.
    const underlay = (await active.netns.run(["ip", "-o", "link", "show"])).stdout.split("\n")
      .map((line) => /^\d+: (u[^@:]+)/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
    for (const name of underlay) await active.netns.ip("link", "set", name, "down");
    const outage = await longestOutage(ping);
    console.log(
      `${active.name} went silent: longest outage ${outage.longestMs} ms, ${outage.received} replies`,
    );
    assert(
      outage.longestMs <= 5000,
      `A→C was down ${outage.longestMs} ms after ${active.name} went silent`,
    );
  },
);
