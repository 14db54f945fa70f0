import { assert, assertEquals } from "../testing/assert.ts";
import { O_CLOEXEC, O_RDONLY } from "./constants.ts";
import { fileIdentity } from "./fstat.ts";
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
