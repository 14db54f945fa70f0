import { assert, assertEquals, assertRejects, assertThrows } from "../testing/assert.ts";
import { Jail, JailError } from "./jail.ts";

async function withTree(work: (root: string, outside: string) => Promise<void>) {
  const base = await Deno.makeTempDir({ prefix: "ctpf-jail-" });
  try {
    await Deno.mkdir(`${base}/root/boot`, { recursive: true });
    await Deno.mkdir(`${base}/outside`);
    await Deno.writeTextFile(`${base}/root/boot/kernel`, "k");
    await Deno.writeTextFile(`${base}/outside/secret`, "s");
    await Deno.symlink(`${base}/outside/secret`, `${base}/root/escape`);
    await Deno.symlink(`${base}/outside`, `${base}/root/escape-dir`);
    await Deno.symlink("boot/kernel", `${base}/root/alias`);
    await work(`${base}/root`, `${base}/outside`);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

Deno.test("jail: client names map inside the root; PXE quirks are normalised", () =>
  withTree(async (root) => {
    const jail = new Jail(root);
    const real = jail.root;
    assertEquals(jail.lexical("boot/kernel"), `${real}/boot/kernel`);
    assertEquals(jail.lexical("/boot/kernel"), `${real}/boot/kernel`);
    assertEquals(jail.lexical("\\boot\\kernel"), `${real}/boot/kernel`);
    assertEquals(jail.lexical("./boot//kernel"), `${real}/boot/kernel`);
    assertEquals(jail.lexical(""), real);
    assertEquals(await jail.resolveExisting("alias"), `${real}/boot/kernel`);
    assertEquals(jail.nameOf(`${real}/boot/kernel`), "/boot/kernel");
  }));

Deno.test("jail: traversal, NUL bytes, control characters and escaping symlinks are refused", () =>
  withTree(async (root) => {
    const jail = new Jail(root);
    for (
      const name of [
        "../outside/secret",
        "boot/../../outside/secret",
        "..\\outside\\secret",
        "a\x00b",
        "x\ny",
        "..",
        "/..",
      ]
    ) {
      assertThrows(() => jail.lexical(name), JailError);
    }
    for (const name of ["escape", "escape-dir/secret"]) {
      const error = await assertRejects(() => jail.resolveExisting(name), JailError);
      assert(error.message.includes("outside"), error.message);
    }
    await assertRejects(() => jail.resolveExisting("missing"), Deno.errors.NotFound);
    await assertRejects(() => jail.resolveForWrite("escape-dir/new"), JailError);
    await assertRejects(() => jail.resolveForWrite("escape"), JailError);
    await assertRejects(() => jail.resolveForWrite("/"), JailError);
    assertEquals(await jail.resolveForWrite("boot/new"), `${jail.root}/boot/new`);
  }));
