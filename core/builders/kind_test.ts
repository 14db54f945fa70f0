import { FieldErrors } from "../errors/field_errors.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { checkParameters } from "./kind.ts";
import { chainScript, ipxeKind } from "./kinds/ipxe.ts";

const fieldsOf = (raw: unknown) =>
  (assertThrows(() => checkParameters(ipxeKind, raw), FieldErrors) as FieldErrors).errors.map((e) => e.field);

Deno.test("kind: defaults are filled and the ipxe template copies only Debian's named loaders", async () => {
  const parameters = checkParameters(ipxeKind, { name: "lab", chainUrl: "http://10.0.0.1/boot/${mac}.ipxe" });
  assertEquals(parameters, {
    name: "lab",
    mode: "prebuilt",
    targets: ["ipxe.efi", "undionly.kpxe"],
    chainUrl: "http://10.0.0.1/boot/${mac}.ipxe",
  });
  const template = await ipxeKind.template(parameters);
  assert(template.dockerfile.includes("RUN cp /usr/lib/ipxe/ipxe.efi /usr/lib/ipxe/undionly.kpxe /out/"));
  assert(template.dockerfile.includes("FROM scratch\nCOPY --from=build /out /out"));
  assertEquals(template.files.map((f) => f.name), ["boot.ipxe"]);
  assertEquals(
    new TextDecoder().decode(template.files[0].content),
    chainScript(parameters.chainUrl as string),
  );
  assertEquals(ipxeKind.publishFolder(parameters, "id"), "builds/lab");
});

Deno.test("kind: text that could break out of the generated script or the boot tree is refused", () => {
  for (
    const chainUrl of ["http://x/a b", "http://x/a\nshell", 'http://x/"', "file:///etc/passwd", "http://x/'"]
  ) {
    assertEquals(fieldsOf({ name: "lab", chainUrl }), ["parameters.chainUrl"], chainUrl);
  }
  for (const name of ["../etc", "a/b", "A", "-a", "x".repeat(41), ""]) {
    assertEquals(fieldsOf({ name, chainUrl: "http://x/y" }), ["parameters.name"], name);
  }
});

Deno.test("kind: wrong types and shapes are named by path", () => {
  assertEquals(fieldsOf(null), ["parameters"]);
  assertEquals(fieldsOf([]), ["parameters"]);
  assertEquals(fieldsOf({ name: 1, chainUrl: ["x"], targets: "ipxe.efi", mode: "fast" }).sort(), [
    "parameters.chainUrl",
    "parameters.mode",
    "parameters.name",
    "parameters.targets",
  ]);
  assertEquals(fieldsOf({ name: "a", chainUrl: "http://x/y", targets: [1] }), ["parameters.targets[0]"]);
});
