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

Deno.test("kind: ipxe source mode needs a source URL, makes per cross prefix and allows arm64", async () => {
  const base = { name: "lab", chainUrl: "http://x/y", mode: "source" };
  assertEquals(fieldsOf(base), ["parameters.sourceUrl"]);
  assertEquals(fieldsOf({ ...base, sourceUrl: "http://x/ipxe.tar.gz; rm -rf /" }), ["parameters.sourceUrl"]);
  assertEquals(fieldsOf({ ...base, sourceUrl: "http://x/a b.tgz" }), ["parameters.sourceUrl"]);
  // arm64 is only a source target: prebuilt names the target and says where it comes from.
  assertEquals(fieldsOf({ name: "lab", chainUrl: "http://x/y", targets: ["ipxe.efi", "arm64/ipxe.efi"] }), [
    "parameters.targets[1]",
  ]);
  const parameters = checkParameters(ipxeKind, {
    ...base,
    sourceUrl: "http://127.0.0.1:8080/ipxe-1.21.1.tar.gz",
    targets: ["undionly.kpxe", "arm64/ipxe.efi", "ipxe.efi"],
  });
  const lines = (await ipxeKind.template(parameters)).dockerfile.split("\n");
  assert(lines.includes("ADD http://127.0.0.1:8080/ipxe-1.21.1.tar.gz /in/ipxe-source"));
  assertEquals(lines.filter((line) => line.includes("make -j")), [
    'RUN cd /ipxe/src && make -j"$(nproc)" NO_WERROR=1 EMBED=/out/boot.ipxe bin/undionly.kpxe ' +
    "bin-x86_64-efi/ipxe.efi",
    'RUN cd /ipxe/src && make -j"$(nproc)" NO_WERROR=1 EMBED=/out/boot.ipxe CROSS=aarch64-linux-gnu- ' +
    "bin-arm64-efi/ipxe.efi",
  ]);
  assert(lines.some((line) => line.includes("cp /ipxe/src/bin-arm64-efi/ipxe.efi /out/arm64/ipxe.efi")));
});
