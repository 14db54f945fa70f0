// gloeth's status through buf curl and the web page (Chromium in A's namespace), on a live A–B–C chain:
// A's links, the nodes it reaches (C through B), and the MAC table after a ping.

import { assert, assertEquals } from "../support/assert.ts";
import { bufCurlCommand } from "../support/buf_curl.ts";
import { browserLabTest, launchBrowser, signInWithToken } from "../support/browser.ts";
import { startMesh, waitUntilReachable } from "./lab.ts";

browserLabTest({
  name: "gloeth: mesh status over buf curl and the web page — links, routes through B, MAC table",
  tools: ["ping"],
  async fn(lab) {
    await using mesh = await startMesh(lab, 3, [[0, 1], [1, 2]]);
    const [a, , c] = mesh.nodes;
    await waitUntilReachable(a, c);
    const run = await a.netns.run(bufCurlCommand(a.process!, "GloethService", "GetMeshStatus", {}));
    const status = JSON.parse(run.stdout).status;
    assertEquals(status.name, "a");
    assertEquals(status.links.map((link: { peerName: string }) => link.peerName), ["b"]);
    const nodes = new Map(status.nodes.map((node: { name: string }) => [node.name, node]));
    const b = nodes.get("b") as { nodeId: string; reachable: boolean };
    const viaC = nodes.get("c") as { nextHop: string; reachable: boolean };
    assert(b.reachable && viaC.reachable, run.stdout);
    assertEquals(viaC.nextHop, b.nodeId);
    assert(status.macs.length >= 1, "no MAC learned after the ping");

    await using browser = await launchBrowser({ netns: a.netns.name });
    const { page } = browser;
    await signInWithToken(page, a.process!.url, a.process!.adminToken);
    await page.goto(`${a.process!.url}/#/gloeth`);
    await page.locator("table[aria-label=Links] tr[data-peer=b]").waitFor({ timeout: 10_000 });
    const cRow = page.locator("table[aria-label=Nodes] tr[data-node=c]");
    await cRow.waitFor();
    assertEquals(await cRow.locator("[data-field=next-hop]").textContent(), "b");
    assertEquals(await cRow.locator("[data-field=reachable]").textContent(), "yes");
    await page.locator("table[aria-label='MAC table'] tbody tr").first().waitFor();
    await page.screenshot({ path: "/tmp/ctpf-gloeth-page.png", fullPage: true });
  },
});
