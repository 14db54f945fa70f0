// gloeth itself on the chain: tests/gloeth/lab.ts startMesh (one gloeth process per node, TLS links
// A–B and B–C, its own TAP with 10.200.0.<n>/24, end-to-end encryption A↔C with B relaying).
import type { Lab } from "../../../tests/harness/mod.ts";
import { startMesh } from "../../../tests/gloeth/lab.ts";
import { type Overlay, type Peer } from "./chain.ts";

export const gloeth: Peer = {
  name: "gloeth",
  setup: "one process per node, TLS links A–B, B–C (A and C dial B), end-to-end AEAD A↔C, B relays",
  tools: [],
  async start(lab: Lab): Promise<Overlay> {
    const mesh = await startMesh(lab, 3, [[0, 1], [1, 2]]);
    const [a, , c] = mesh.nodes;
    return {
      a: a.netns,
      c: c.netns,
      aIp: a.overlayIp,
      cIp: c.overlayIp,
      pids: () => Promise.resolve(mesh.nodes.map((node) => node.process!.process.pid)),
      logs: () => mesh.nodes.map((node) => node.process?.output().slice(-1500) ?? "").join("\n"),
      close: () => mesh[Symbol.asyncDispose](),
    };
  },
};
