import { assertEquals, assertThrows } from "../testing/assert.ts";
import { readTar, TarFormatError, writeTar } from "./tar.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("tar: GNU tar lists and extracts what writeTar wrote", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const long = `${"d".repeat(80)}/${"f".repeat(90)}.txt`;
    const archive = writeTar([
      { name: "Dockerfile", type: "file", content: text("FROM scratch\n") },
      { name: "sub", type: "directory" },
      { name: "sub/run.sh", type: "file", content: text("#!/bin/sh\n"), mode: 0o755 },
      { name: "sub/link", type: "symlink", linkName: "run.sh" },
      { name: long, type: "file", content: new Uint8Array(1000).fill(7) },
    ]);
    await Deno.writeFile(`${dir}/a.tar`, archive);
    const out = await new Deno.Command("tar", { args: ["-xf", `${dir}/a.tar`, "-C", dir] }).output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertEquals(await Deno.readTextFile(`${dir}/Dockerfile`), "FROM scratch\n");
    assertEquals((await Deno.stat(`${dir}/sub/run.sh`)).mode! & 0o777, 0o755);
    assertEquals(await Deno.readLink(`${dir}/sub/link`), "run.sh");
    assertEquals((await Deno.readFile(`${dir}/${long}`)).length, 1000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tar: readTar reads GNU tar's archive, PAX long names included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const long = "x".repeat(180);
    await Deno.mkdir(`${dir}/src/out`, { recursive: true });
    await Deno.writeTextFile(`${dir}/src/out/${long}`, "long");
    await Deno.writeTextFile(`${dir}/src/out/a`, "A");
    const out = await new Deno.Command("tar", {
      args: ["--format=pax", "-cf", `${dir}/b.tar`, "-C", `${dir}/src`, "out"],
    }).output();
    assertEquals(out.code, 0);
    const entries = readTar(await Deno.readFile(`${dir}/b.tar`));
    const files = Object.fromEntries(
      entries.filter((e) => e.type === "file").map((e) => [e.name, new TextDecoder().decode(e.content)]),
    );
    assertEquals(files, { [`out/${long}`]: "long", "out/a": "A" });
    assertEquals(entries.find((e) => e.type === "directory")?.name, "out");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tar: bad names refused on write, damaged archives refused on read", () => {
  for (const name of ["/etc/passwd", "../x", "a//b", ""]) {
    assertThrows(() => writeTar([{ name, type: "file" }]), TarFormatError);
  }
  const archive = writeTar([{ name: "a", type: "file", content: text("hello") }]);
  const badSum = archive.slice();
  badSum[0] ^= 1;
  assertThrows(() => readTar(badSum), TarFormatError, "checksum");
  assertThrows(() => readTar(archive.slice(0, 512)), TarFormatError, "past the end");
});

Deno.test("tar: readTar never throws anything but TarFormatError on mutated archives", () => {
  const archive = writeTar([
    { name: "a", type: "file", content: text("hello world") },
    { name: "d", type: "directory" },
  ]);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 2000; i++) {
    const mutated = archive.slice(0, 512 + Math.floor(random() * (archive.length - 512)));
    for (let j = 0; j < 4; j++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    try {
      readTar(mutated);
    } catch (error) {
      if (!(error instanceof TarFormatError)) throw error;
    }
  }
});
