// The node directory on its own, with a recording stand-in for the frame path's key slots.
import { assertEquals } from "../../testing/assert.ts";
import { testMember, testNetwork } from "../testing/mesh_fixture.ts";
import { generateX25519 } from "../crypto/pair_keys.ts";
import { NodeDirectory } from "./directory.ts";
import { encodeSessionKeys } from "./session_keys.ts";

async function directoryOf(name: string) {
  const network = await testNetwork();
  const self = await testMember(network, name, 1n);
  const installs: string[] = [];
  const directory = new NodeDirectory(
    self.identity.nodeId,
    await generateX25519(),
    network.trust,
    network.id,
    () => new Set(),
    { setKeys: (nodeId) => installs.push(nodeId), forget: () => {} },
  );
  return { network, directory, installs };
}

Deno.test("directory: a member copying another node's public session key into its own record blocks nothing", async () => {
  const { network, directory, installs } = await directoryOf("self");
  const [x, y] = await Promise.all([testMember(network, "x", 2n), testMember(network, "y", 3n)]);
  const xSession = await generateX25519();
  const xRecord = await encodeSessionKeys(x.identity.keys, x.identity.certificate, xSession.publicKey, 1000);
  // Y needs only X's public key (flooded to everyone) and its own signing key; its copy arrives first.
  const yCopy = await encodeSessionKeys(y.identity.keys, y.identity.certificate, xSession.publicKey, 1000);
  assertEquals(await directory.offer(yCopy), "new");
  assertEquals(await directory.offer(xRecord), "new", "X's genuine record was refused");
  assertEquals(installs, [y.identity.nodeId, x.identity.nodeId]);
  // The same record again is what must be refused (its keys are in use).
  assertEquals(await directory.offer(xRecord), "stale");
});
