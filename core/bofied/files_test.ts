import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { FileOperationError, ServedFiles } from "./files.ts";
import { Jail, JailError } from "./jail.ts";

async function withTree(work: (files: ServedFiles, base: string) => Promise<void>) {
  const base = await Deno.makeTempDir({ prefix: "ctpf-files-" });
  try {
    await Deno.mkdir(`${base}/root/dir`, { recursive: true });
    await Deno.mkdir(`${base}/outside`);
    await Deno.writeTextFile(`${base}/root/dir/target.txt`, "target\n");
    await Deno.symlink("dir/target.txt", `${base}/root/link.txt`);
    await Deno.symlink(`${base}/outside`, `${base}/root/ext`);
    await work(new ServedFiles(new Jail(`${base}/root`)), base);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test("files: moving a link renames the link, not what it points to", () =>
  withTree(async (files, base) => {
    await files.move("/link.txt", "/renamed.txt", false);
    assert((await Deno.lstat(`${base}/root/renamed.txt`)).isSymlink, "the link itself moved");
    assertEquals(await Deno.readTextFile(`${base}/root/dir/target.txt`), "target\n");
  }));

Deno.test("files: parents are never created outside the tree through a link", () =>
  withTree(async (files, base) => {
    await assertRejects(() => files.write("/ext/new/file.txt", new Uint8Array([1]), true), JailError);
    assertEquals(await exists(`${base}/outside/new`), false);
    const entry = await files.write("/a/b/c.txt", new TextEncoder().encode("ok"), true);
    assertEquals(entry.path, "/a/b/c.txt");
  }));

Deno.test("files: move and copy refuse overlapping source and destination, keeping the source", () =>
  withTree(async (files, base) => {
    await assertRejects(() => files.move("/dir", "/dir", true), FileOperationError);
    await assertRejects(() => files.copy("/dir", "/dir/inner", true), FileOperationError);
    await assertRejects(() => files.move("/dir/target.txt", "/dir", true), FileOperationError);
    assertEquals(await Deno.readTextFile(`${base}/root/dir/target.txt`), "target\n");
  }));
