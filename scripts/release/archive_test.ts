import { assert, assertEquals, assertNotEquals } from "../../core/testing/assert.ts";
import type { TarEntry } from "../../core/archive/tar.ts";
import { SharedMembers, tarGz } from "./archive.ts";

const text = (s: string) => new TextEncoder().encode(s);

function entries(large: Uint8Array, launcher = "#!/bin/sh\nexec true\n"): TarEntry[] {
  return [
    { name: "x-1", type: "directory", mtime: 1_700_000_000 },
    { name: "x-1/bin/x", type: "file", content: text(launcher), mode: 0o755, mtime: 1_700_000_000 },
    { name: "x-1/lib/deno", type: "file", content: large, mode: 0o755, mtime: 1_700_000_000 },
    { name: "x-1/README.md", type: "file", content: text("# x\n"), mtime: 1_700_000_000 },
  ];
}

async function run(command: string, args: string[], cwd?: string) {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, cwd }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

// The shared member is read back by the real tools: gzip -t walks every member, GNU tar unpacks them as
// one stream, byte for byte and with the modes given.
Deno.test("tarGz: an archive of three gzip members unpacks with GNU tar to the files given", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Not a multiple of 512, so the padding the shared member carries is exercised too.
    const large = crypto.getRandomValues(new Uint8Array(60_001));
    const members = new SharedMembers();
    const archive = await tarGz(entries(large), { shared: "x-1/lib/deno", members });
    await Deno.writeFile(`${dir}/x.tar.gz`, archive);
    assertEquals((await run("gzip", ["-t", `${dir}/x.tar.gz`])).code, 0);
    const listing = await run("tar", ["-tvzf", `${dir}/x.tar.gz`]);
    assertEquals(listing.code, 0, listing.stderr);
    assertEquals(listing.stdout.trim().split("\n").map((line) => line.split(/\s+/).at(-1)), [
      "x-1/",
      "x-1/bin/x",
      "x-1/lib/deno",
      "x-1/README.md",
    ]);
    const unpack = await run("tar", ["-xzf", "x.tar.gz"], dir);
    assertEquals(unpack.code, 0, unpack.stderr);
    assertEquals(await Deno.readFile(`${dir}/x-1/lib/deno`), large);
    assertEquals(await Deno.readTextFile(`${dir}/x-1/README.md`), "# x\n");
    assertEquals((await Deno.stat(`${dir}/x-1/bin/x`)).mode! & 0o777, 0o755);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tarGz: the same inputs give the same bytes, and archives that differ carry the shared file's member whole", async () => {
  const large = crypto.getRandomValues(new Uint8Array(20_000));
  const members = new SharedMembers();
  const options = { shared: "x-1/lib/deno", members };
  const first = await tarGz(entries(large), options);
  assertEquals(await tarGz(entries(large), options), first);
  assertEquals(await tarGz(entries(large), { shared: "x-1/lib/deno", members: new SharedMembers() }), first);
  const other = await tarGz(entries(large, "#!/bin/sh\nexec false\n"), options);
  assertNotEquals(other, first);
  // Both archives hold the one compressed member of the shared file (random bytes: ~20 kB) unchanged.
  const member = await members.member(large);
  const index = (haystack: Uint8Array) =>
    haystack.findIndex((_, at) => member.every((byte, i) => haystack[at + i] === byte));
  assert(index(first) > 0 && index(other) > 0, "the shared member appears whole in both archives");
});
