import { InputError } from "../errors/input_error.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { CredentialFiles } from "./secrets.ts";

Deno.test("nodin secrets: a credential is kept 0600 in a 0700 folder and read back by reference", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-nodin-secrets-" });
  try {
    const files = new CredentialFiles(`${dir}/credentials`);
    files.put("bmc-1", { username: "admin", password: "s3cret", extra: { kg: "00ff" } });
    assertEquals(files.get("bmc-1"), { username: "admin", password: "s3cret", extra: { kg: "00ff" } });
    assertEquals((await Deno.stat(`${dir}/credentials/bmc-1.json`)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${dir}/credentials`)).mode! & 0o777, 0o700);
    assert(files.has("bmc-1"));
    files.delete("bmc-1");
    assertEquals(files.get("bmc-1"), undefined);
    assert(!files.has("bmc-1"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nodin secrets: references that would leave the folder are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-nodin-secrets-" });
  try {
    const files = new CredentialFiles(dir);
    for (const ref of ["../admin.token", "a/b", ".hidden", "", "x".repeat(65), "a..b"]) {
      assertThrows(() => files.get(ref), InputError, ref);
      assertThrows(() => files.put(ref, {}), InputError, ref);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
