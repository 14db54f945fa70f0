import { assert, assertEquals, assertMatch, assertRejects } from "../../testing/assert.ts";
import { generateDhKey, generateSigningKey, sign, verify } from "./keys.ts";
import {
  KeyFileError,
  readNetworkKey,
  readNodeKeys,
  readPublic,
  writeNetworkKey,
  writeNodeKeys,
  writePublic,
} from "./files.ts";

Deno.test("key files: private keys are written 0600, read back working, never overwritten; loose modes refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-gloeth-keys-" });
  try {
    const network = await generateSigningKey();
    await writeNetworkKey(`${dir}/network.key`, network);
    assertEquals((await Deno.stat(`${dir}/network.key`)).mode! & 0o777, 0o600);
    const loaded = await readNetworkKey(`${dir}/network.key`);
    assert(await verify(network.publicKey, new Uint8Array([1]), await sign(loaded, new Uint8Array([1]))));
    await assertRejects(() => writeNetworkKey(`${dir}/network.key`, network), Deno.errors.AlreadyExists);

    const node = { name: "pi-1", sign: await generateSigningKey(), dh: await generateDhKey() };
    await writeNodeKeys(`${dir}/node/node.key`, node);
    const back = await readNodeKeys(`${dir}/node/node.key`);
    assertEquals([back.name, back.sign.publicKey, back.dh.publicKey], [
      node.name,
      node.sign.publicKey,
      node.dh.publicKey,
    ]);
    assertMatch(
      (await assertRejects(() => readNetworkKey(`${dir}/node/node.key`), KeyFileError)).message,
      /not a gloeth network key/,
    );

    await Deno.chmod(`${dir}/network.key`, 0o644);
    assertMatch(
      (await assertRejects(() => readNetworkKey(`${dir}/network.key`), KeyFileError)).message,
      /readable by others/,
    );

    await writePublic(`${dir}/node.cert`, new Uint8Array([1, 2, 3, 250]));
    assertEquals(await readPublic(`${dir}/node.cert`), new Uint8Array([1, 2, 3, 250]));
    await Deno.writeTextFile(`${dir}/bad.cert`, "not base64!\n");
    await assertRejects(() => readPublic(`${dir}/bad.cert`), KeyFileError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
