import { FieldErrors } from "../../errors/field_errors.ts";
import { InputError } from "../../errors/input_error.ts";
import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { readGloethInventoryFile } from "./inventory_file.ts";

Deno.test("gloeth inventory file: JSON read and checked; unreadable, non-JSON and wrong fields are named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const mesh = {
      stateDir: "/srv/mesh",
      overlayNetwork: "10.200.0.0/24",
      hosts: [{ name: "a", ssh: { address: "198.51.100.1" }, overlayAddress: "10.200.0.1" }],
    };
    await Deno.writeTextFile(`${dir}/mesh.json`, JSON.stringify(mesh));
    const inventory = await readGloethInventoryFile(`${dir}/mesh.json`);
    assertEquals([inventory.hosts[0].endpoint, inventory.hosts[0].ssh.user], ["198.51.100.1:655", "root"]);

    const missing = await assertRejects(
      () => readGloethInventoryFile(`${dir}/none.json`),
      InputError,
    ) as InputError;
    assertEquals([missing.field, missing.kind], ["inventory", "not-found"]);
    await Deno.writeTextFile(`${dir}/bad.json`, "{ stateDir: x }");
    const bad = await assertRejects(
      () => readGloethInventoryFile(`${dir}/bad.json`),
      InputError,
    ) as InputError;
    assertEquals(bad.field, "inventory");
    await Deno.writeTextFile(`${dir}/list.json`, "[]");
    await assertRejects(
      () => readGloethInventoryFile(`${dir}/list.json`),
      InputError,
      "must hold one JSON object",
    );
    await Deno.writeTextFile(`${dir}/wrong.json`, JSON.stringify({ ...mesh, overlayNetwork: "mesh" }));
    const wrong = await assertRejects(
      () => readGloethInventoryFile(`${dir}/wrong.json`),
      FieldErrors,
    ) as FieldErrors;
    assertEquals(wrong.errors.map((error) => error.field), ["overlayNetwork"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
