import { assert, assertEquals } from "../testing/assert.ts";
import { O_CLOEXEC, O_RDONLY } from "./constants.ts";
import { fileIdentity, pathVersion, sameVersion, stillIs } from "./fstat.ts";
import { closeQuietly, cString, libc } from "./libc.ts";

Deno.test("fstat: an fd's device, inode, size and kind match Deno's stat of the same path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-fstat-" });
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(12345));
    // A time with a sub-millisecond part, so the conversion of nanoseconds is checked too.
    await Deno.utime(`${dir}/f`, 1_700_000_000.123456, 1_700_000_000.987654);
    for (const [path, regular] of [[`${dir}/f`, true], [dir, false]] as const) {
      const fd = libc().open(cString(path), O_RDONLY | O_CLOEXEC, 0);
      assert(fd >= 0);
      try {
        const info = Deno.statSync(path);
        assertEquals(fileIdentity(fd), {
          dev: info.dev,
          ino: info.ino!,
          size: info.size,
          mtimeMs: info.mtime!.getTime(),
          regular,
        });
      } finally {
        closeQuietly(fd);
      }
    }
    assertEquals(fileIdentity(-1), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stat: stillIs holds for the same version and fails on a rewrite, a replacement or a removal", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-stat-" });
  try {
    const path = `${dir}/f`, cPath = cString(path);
    await Deno.writeTextFile(path, "one");
    const first = pathVersion(cPath)!;
    await Deno.readTextFile(path); // a read moves only the access time, which is not part of a version
    assert(stillIs(cPath, first));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Deno.writeTextFile(path, "two"); // same size, same inode
    assert(!stillIs(cPath, first));
    const second = pathVersion(cPath)!;
    assert(stillIs(cPath, second) && sameVersion(second, pathVersion(cPath)!));
    await Deno.writeTextFile(`${dir}/g`, "two");
    await Deno.rename(`${dir}/g`, path);
    assert(!stillIs(cPath, second));
    await Deno.remove(path);
    assertEquals(pathVersion(cPath), null);
    assert(!stillIs(cPath, second));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
