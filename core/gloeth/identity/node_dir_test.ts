// Node directories as `gloeth network-init` and `node-init` make them, loaded back.
import { assert, assertEquals } from "../../testing/assert.ts";
import { initNetwork, initNode, loadNode } from "./node_dir.ts";

Deno.test("node dir: a fresh node loads; a TLS certificate that does not name the node is refused with what to do", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-node-dir-" });
  try {
    await initNetwork(`${dir}/net`);
    const a = await initNode(`${dir}/net`, `${dir}/a`, "a");
    await initNode(`${dir}/net`, `${dir}/b`, "b");
    assertEquals((await loadNode(`${dir}/a`)).nodeId, a.nodeId);
    // A certificate of the same network for another node (as an older node-init's, naming no node).
    await Deno.copyFile(`${dir}/b/tls.pem`, `${dir}/a/tls.pem`);
    let refusal = "";
    try {
      await loadNode(`${dir}/a`);
    } catch (error) {
      refusal = (error as Error).message;
    }
    assert(refusal.includes(`${a.nodeId}.gloeth`) && refusal.includes("node-init"), refusal || "loaded");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
