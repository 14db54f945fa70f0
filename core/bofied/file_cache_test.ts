import { assert, assertEquals } from "../testing/assert.ts";
import { pathVersion } from "../sys/fstat.ts";
import { cString } from "../sys/libc.ts";
import { FileCache } from "./file_cache.ts";

const versionOf = (path: string) => pathVersion(cString(path))!;

Deno.test("file cache: hits by version, drops the least recently used over budget, skips big files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-file-cache-" });
  try {
    const write = async (name: string, size: number, fill: number) => {
      await Deno.writeFile(`${dir}/${name}`, new Uint8Array(size).fill(fill));
      return versionOf(`${dir}/${name}`);
    };
    const cache = new FileCache(300, 200);
    const a = await write("a", 100, 1), b = await write("b", 100, 2), c = await write("c", 100, 3);
    assertEquals(cache.peek(`${dir}/a`, a), undefined);
    assertEquals((await cache.read(`${dir}/a`, a))[0], 1);
    await cache.read(`${dir}/b`, b);
    await cache.read(`${dir}/c`, c);
    // a is used again, so b is now the least recently used and goes when d arrives.
    assertEquals(cache.peek(`${dir}/a`, a)?.[0], 1);
    const d = await write("d", 100, 4);
    await cache.read(`${dir}/d`, d);
    assertEquals(cache.peek(`${dir}/b`, b), undefined);
    assert(cache.peek(`${dir}/a`, a) && cache.peek(`${dir}/c`, c) && cache.peek(`${dir}/d`, d));
    // A new version of a file is a different entry: the old content is never served for it.
    const a2 = await write("a", 120, 9);
    assertEquals(cache.peek(`${dir}/a`, a2), undefined);
    assertEquals((await cache.read(`${dir}/a`, a2))[0], 9);
    // A file over the per-file limit is read but not kept.
    const big = await write("big", 250, 5);
    assertEquals((await cache.read(`${dir}/big`, big)).length, 250);
    assertEquals(cache.peek(`${dir}/big`, big), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file cache: a burst of reads of one file shares a single read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-cache-burst-" });
  try {
    await Deno.writeTextFile(`${dir}/a.ipxe`, "#!ipxe\n");
    const info = versionOf(`${dir}/a.ipxe`);
    const cache = new FileCache(1 << 20, 1 << 20);
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.read(`${dir}/a.ipxe`, info)));
    assert(results.every((bytes) => bytes === results[0]), "all 50 got the bytes of one read");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file cache: a replacement with the same size and mtime, or a rewrite in place, is a new version", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-cache-version-" });
  try {
    const path = `${dir}/boot.ipxe`;
    await Deno.writeTextFile(path, "#!ipxe\nOLD\n");
    const old = await Deno.stat(path);
    const cache = new FileCache(1 << 20, 1 << 20);
    assertEquals(new TextDecoder().decode(await cache.read(path, versionOf(path))), "#!ipxe\nOLD\n");

    // Replaced by a rename, its mtime kept as rclone and rsync -t keep it.
    await Deno.writeTextFile(`${dir}/incoming`, "#!ipxe\nNEW\n");
    await Deno.utime(`${dir}/incoming`, old.atime!, old.mtime!);
    await Deno.rename(`${dir}/incoming`, path);
    assertEquals(cache.peek(path, versionOf(path)), undefined);
    assertEquals(new TextDecoder().decode(await cache.read(path, versionOf(path))), "#!ipxe\nNEW\n");

    // Rewritten in place (same inode, same size, mtime put back), past the kernel's timestamp tick.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Deno.writeTextFile(path, "#!ipxe\nNOW\n");
    await Deno.utime(path, old.atime!, old.mtime!);
    assertEquals(cache.peek(path, versionOf(path)), undefined);
    assertEquals(new TextDecoder().decode(await cache.read(path, versionOf(path))), "#!ipxe\nNOW\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file cache: content read while the file changed is returned but not kept under the old version", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-cache-race-" });
  try {
    const path = `${dir}/boot.ipxe`;
    await Deno.writeTextFile(path, "#!ipxe\nOLD\n");
    const stale = versionOf(path);
    await Deno.writeTextFile(path, "#!ipxe\nNEW, longer\n");
    const cache = new FileCache(1 << 20, 1 << 20);
    await cache.read(path, stale);
    assertEquals(cache.peek(path, stale), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
