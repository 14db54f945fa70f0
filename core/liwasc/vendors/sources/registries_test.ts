import { assertEquals } from "../../../testing/assert.ts";
import { availableRegistries, readRegistries, type RegistryLocations } from "./registries.ts";

async function withTree(files: Record<string, string>, test: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "ctpf-vendors-" });
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${root}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${root}/${path}`, text);
    }
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const locations = (root: string): RegistryLocations => ({
  ieeeDataDir: `${root}/ieee-data`,
  manufFile: `${root}/wireshark/manuf`,
  dpkgStatus: `${root}/status`,
});

const HEADER = "Registry,Assignment,Organization Name,Organization Address\n";
const MANUF = "# Last-Modified: Sun, 25 Aug 2024 08:01:19 GMT\n00:00:0C\tCisco\tCisco Systems, Inc\n";
const STATUS = "Package: ieee-data\nStatus: install ok installed\nVersion: 20240827.1\n\n" +
  "Package: libwireshark-data\nStatus: install ok installed\nVersion: 4.0.17-0+deb12u3\n";

Deno.test("registries: ieee-data CSVs are preferred to manuf, every present file is read", async () => {
  await withTree({
    "ieee-data/oui.csv": HEADER + "MA-L,00000C,Cisco Systems Inc,\n",
    "ieee-data/oui36.csv": HEADER + "MA-S,70B3D51AB,Small,\n",
    "wireshark/manuf": MANUF,
    "status": STATUS,
  }, async (root) => {
    assertEquals(availableRegistries(locations(root)), {
      kind: "ieee-csv",
      file: `${root}/ieee-data/oui.csv`,
    });
    const registries = (await readRegistries(locations(root)))!;
    assertEquals(registries.assignments.map((assignment) => assignment.organisation), [
      "Cisco Systems Inc",
      "Small",
    ]);
    assertEquals(registries.source.kind, "ieee-csv");
    assertEquals(registries.source.files.map((file) => file.file), [
      `${root}/ieee-data/oui.csv`,
      `${root}/ieee-data/oui36.csv`,
    ]);
    assertEquals(registries.source.package, "ieee-data 20240827.1");
  });
});

Deno.test("registries: manuf when ieee-data is absent, with its dates and licence", async () => {
  await withTree({ "wireshark/manuf": MANUF, "status": STATUS }, async (root) => {
    const registries = (await readRegistries(locations(root)))!;
    assertEquals(registries.source.kind, "wireshark-manuf");
    assertEquals(registries.source.package, "libwireshark-data 4.0.17-0+deb12u3");
    assertEquals(registries.source.date, "2024-08-25T08:01:19.000Z");
    assertEquals(registries.source.license, "GPL-2.0-or-later");
    assertEquals(registries.assignments.length, 1);
  });
});

Deno.test("registries: nothing installed is undefined, not an error", async () => {
  await withTree({}, async (root) => {
    assertEquals(availableRegistries(locations(root)), undefined);
    assertEquals(await readRegistries(locations(root)), undefined);
  });
});
