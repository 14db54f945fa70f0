import { FieldErrors } from "../../errors/field_errors.ts";
import { InputError } from "../../errors/input_error.ts";
import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { readK3sInventoryFile } from "./inventory_file.ts";
import { oneServer } from "./testing.ts";

Deno.test("k3s inventory file: JSON read and checked; unreadable, non-JSON and wrong fields are named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/lab.json`, JSON.stringify(oneServer()));
    const inventory = await readK3sInventoryFile(`${dir}/lab.json`);
    assertEquals([inventory.cluster, inventory.servers[0].overlayInterface], ["lab", "gloeth0"]);

    const missing = await assertRejects(
      () => readK3sInventoryFile(`${dir}/none.json`),
      InputError,
    ) as InputError;
    assertEquals([missing.field, missing.kind], ["inventory", "not-found"]);
    await Deno.writeTextFile(`${dir}/bad.json`, "{ cluster: lab }");
    const bad = await assertRejects(() => readK3sInventoryFile(`${dir}/bad.json`), InputError) as InputError;
    assertEquals(bad.reason.startsWith(`${dir}/bad.json is not JSON: `), true);
    await Deno.writeTextFile(`${dir}/list.json`, "[]");
    await assertRejects(() => readK3sInventoryFile(`${dir}/list.json`), InputError);
    await Deno.writeTextFile(
      `${dir}/agentless.json`,
      JSON.stringify(oneServer({ agents: [{ name: "a1", arch: "x86_64" }] })),
    );
    const fields = await assertRejects(
      () => readK3sInventoryFile(`${dir}/agentless.json`),
      FieldErrors,
    ) as FieldErrors;
    assertEquals(fields.errors, [{
      field: "agents[0].overlayAddress",
      message: "required: the node's gloeth address",
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
