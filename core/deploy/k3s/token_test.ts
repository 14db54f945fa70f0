import { InputError } from "../../errors/input_error.ts";
import { assertEquals, assertMatch, assertRejects } from "../../testing/assert.ts";
import { ensureClusterToken } from "./token.ts";

Deno.test("cluster token: made once, 0600 in a 0700 folder, then kept as it is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/k3s/lab.token`;
    assertEquals(await ensureClusterToken(path), { created: true });
    const token = await Deno.readTextFile(path);
    assertMatch(token, /^[0-9a-f]{64}\n$/);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${dir}/k3s`)).mode! & 0o777, 0o700);
    // A second run (adding a node, an upgrade) keeps the cluster's token.
    assertEquals(await ensureClusterToken(path), { created: false });
    assertEquals(await Deno.readTextFile(path), token);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cluster token: a token file others can read, or one that is not a token, is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/open.token`, "s3cret\n");
    await Deno.chmod(`${dir}/open.token`, 0o644);
    const open = await assertRejects(() => ensureClusterToken(`${dir}/open.token`), InputError) as InputError;
    assertEquals([open.field, open.kind], ["tokenFile", "precondition"]);
    assertEquals(open.reason, `${dir}/open.token can be read by others (mode 644): chmod 600 it`);
    await Deno.writeTextFile(`${dir}/empty.token`, "", { mode: 0o600 });
    await assertRejects(() => ensureClusterToken(`${dir}/empty.token`), InputError);
    await Deno.writeTextFile(`${dir}/two.token`, "a b\n", { mode: 0o600 });
    await assertRejects(() => ensureClusterToken(`${dir}/two.token`), InputError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
