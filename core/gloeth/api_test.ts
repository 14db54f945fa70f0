// gloeth's API handlers in process (Connect's router transport): one relay node with no TAP, no listener
// and no peers, so no root and no network. tests/gloeth/ drives meshes of real binaries in namespaces.
import { Code, ConnectError } from "@connectrpc/connect";
import { GloethService } from "../api/gen/ctpf/v1/gloeth_pb.ts";
import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { type InProcessApi, inProcessApi } from "../testing/in_process_api.ts";
import { registerGloethApi } from "./api.ts";
import { RelayPort } from "./node/frame_port.ts";
import { GloethNode } from "./node/gloeth_node.ts";
import { testMember, testNetwork } from "./testing/mesh_fixture.ts";

/** The API over a relay node that starts only when the test says so, as the binary's does after its API. */
async function withGloeth(
  options: { anonymousRead?: boolean },
  test: (api: InProcessApi, start: () => Promise<GloethNode>) => Promise<void>,
): Promise<void> {
  await using api = await inProcessApi(options);
  const network = await testNetwork();
  const member = await testMember(network, "a", 1n);
  let running: GloethNode | undefined;
  api.serve((router) => registerGloethApi(router, () => running && { node: running, name: "a", tap: "" }));
  const node = new GloethNode({
    identity: member.identity,
    trust: network.trust,
    caPem: network.caPem,
    certPem: member.certPem,
    keyPem: member.keyPem,
    peers: [],
    port: new RelayPort(),
    log: api.log,
  });
  let started = false;
  try {
    await test(api, async () => {
      await node.start();
      started = true;
      return running = node;
    });
  } finally {
    if (started) await node.stop();
  }
}

Deno.test("gloeth api (in process): unavailable while the node starts, then its status", async () => {
  await withGloeth({}, async (api, start) => {
    const gloeth = api.client(GloethService);
    const starting = ConnectError.from(await assertRejects(() => gloeth.getMeshStatus({})));
    assertEquals(Code[starting.code], Code[Code.Unavailable]);
    const node = await start();
    const { status } = await gloeth.getMeshStatus({});
    assertEquals([status?.nodeId, status?.name, status?.tap, status?.links], [node.nodeId, "a", "", []]);
  });
});

Deno.test("gloeth api (in process): with --anonymous-read, the status needs no credential", async () => {
  await withGloeth({ anonymousRead: true }, async (api, start) => {
    await start();
    assertEquals((await api.client(GloethService, "").getMeshStatus({})).status?.name, "a");
  });
  await withGloeth({}, async (api, start) => {
    await start();
    const refused = ConnectError.from(
      await assertRejects(() => api.client(GloethService, "").getMeshStatus({})),
    );
    assertEquals(Code[refused.code], Code[Code.Unauthenticated]);
  });
});

Deno.test("gloeth api (in process): SubscribeToMeshStatus sends the status now, then every interval", async () => {
  await withGloeth({}, async (api, start) => {
    const node = await start();
    const controller = new AbortController();
    const stream = api.client(GloethService).subscribeToMeshStatus({ intervalMs: 600 }, {
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    try {
      const opened = performance.now();
      assertEquals((await stream.next()).value.status.nodeId, node.nodeId);
      assert(performance.now() - opened < 500, "the first status waited for an interval");
      assertEquals((await stream.next()).value.status.nodeId, node.nodeId);
      assert(performance.now() - opened >= 590, "the second status came before the interval");
    } finally {
      controller.abort();
    }
  });
});
