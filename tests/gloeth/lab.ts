// A gloeth mesh in network namespaces: one namespace per node, an underlay veth pair per edge (a /30
// each), a network made with the real key tooling, and the real gloeth binary in each namespace with a
// TAP device carrying 10.200.0.<n>/24.
import { type Lab, type Netns, waitFor } from "../harness/mod.ts";
import { type RunningBinary, startBinary } from "../support/ctpf_process.ts";
import { initNetwork, initNode } from "../../core/gloeth/identity/node_dir.ts";

const root = new URL("../../", import.meta.url).pathname;

export interface MeshNode {
  name: string;
  netns: Netns;
  overlayIp: string;
  nodeDir: string;
  /** Underlay address:port others dial it on (its first edge's address), and the peers it dials. */
  listen: string;
  peers: string[];
  process?: RunningBinary;
}

export interface Mesh {
  nodes: MeshNode[];
  networkDir: string;
  workDir: string;
  start(node: MeshNode): Promise<void>;
  stop(node: MeshNode): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** `edges` are pairs of node indices; the lower index dials the higher one. */
export async function startMesh(lab: Lab, count: number, edges: [number, number][]): Promise<Mesh> {
  const workDir = await Deno.makeTempDir({ prefix: "ctpf-gloeth-mesh-" });
  const networkDir = `${workDir}/network`;
  await initNetwork(networkDir);
  const nodes: MeshNode[] = [];
  for (let i = 0; i < count; i++) {
    const name = String.fromCharCode(97 + i);
    const nodeDir = `${workDir}/${name}`;
    await initNode(networkDir, nodeDir, name, 2);
    nodes.push({
      name,
      netns: await lab.netns({ ipv6: false }),
      overlayIp: `10.200.0.${i + 1}`,
      nodeDir,
      listen: "",
      peers: [],
    });
  }
  for (const [index, [low, high]] of edges.entries()) {
    const a = nodes[low], b = nodes[high];
    const [aIf, bIf] = [`u${index}${a.name}`, `u${index}${b.name}`];
    await lab.veth(a.netns, aIf, b.netns, bIf);
    const [aIp, bIp] = [`10.91.${index}.1`, `10.91.${index}.2`];
    await a.netns.addAddress(aIf, `${aIp}/30`);
    await b.netns.addAddress(bIf, `${bIp}/30`);
    await a.netns.up(aIf);
    await b.netns.up(bIf);
    a.peers.push(`${bIp}:655`);
  }
  for (const node of nodes) node.listen = "0.0.0.0:655";
  const mesh: Mesh = {
    nodes,
    networkDir,
    workDir,
    async start(node) {
      node.process = await startBinary({
        command: [
          "ip",
          "netns",
          "exec",
          node.netns.name,
          Deno.execPath(),
          "run",
          "--allow-all",
          // For profiling a mesh: e.g. CTPF_GLOETH_V8_FLAGS=--prof (each node writes an isolate log).
          ...(Deno.env.get("CTPF_GLOETH_V8_FLAGS")
            ? [`--v8-flags=${Deno.env.get("CTPF_GLOETH_V8_FLAGS")}`]
            : []),
          `${root}cmd/gloeth.ts`,
        ],
        args: [
          "--node-dir",
          node.nodeDir,
          "--link-listen",
          node.listen,
          "--peers",
          node.peers.join(","),
          "--tap-address",
          `${node.overlayIp}/24`,
        ],
      });
    },
    async stop(node) {
      await node.process?.[Symbol.asyncDispose]();
      node.process = undefined;
    },
    async [Symbol.asyncDispose]() {
      for (const node of nodes) await mesh.stop(node);
      await Deno.remove(workDir, { recursive: true });
    },
  };
  try {
    for (const node of nodes) await mesh.start(node);
  } catch (error) {
    // Nodes already started are not the lab's processes: stop them before the namespaces go.
    await mesh[Symbol.asyncDispose]();
    throw error;
  }
  return mesh;
}

/** Waits (30 s at most) until `from` gets a ping answer from `to` over the overlay. */
export async function waitUntilReachable(from: MeshNode, to: MeshNode): Promise<void> {
  await waitFor(
    async () => (await from.netns.run(["ping", "-c1", "-W1", to.overlayIp], { check: false })).code === 0,
    {
      what: `${from.name} reaching ${to.name} over the overlay`,
      timeoutMs: 30_000,
      intervalMs: 500,
      describe: () => [from, to].map((node) => node.process?.output().slice(-1500) ?? "").join("\n"),
    },
  );
}
