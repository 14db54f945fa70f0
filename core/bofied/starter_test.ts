// The starter tree: installed once into an empty boot tree on the first start, never again (not after the
// operator deletes a file, not into a tree that already held files), and missing iPXE binaries reported.
import { join } from "node:path";
import { LogSink } from "../log/logger.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { assert, assertEquals, assertMatch } from "../testing/assert.ts";
import { debianIpxeDir, installStarterOnce, starterIpxeFiles } from "./starter.ts";
import { starterMenuTitle } from "./starter_menu.ts";
import { SqliteBofiedStateRepository } from "./store_sqlite.ts";

async function names(directory: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(directory))).map((entry) => entry.name).sort();
}

async function withTrees(
  test: (
    dirs: { boot: string; ipxe: string; state: SqliteBofiedStateRepository; logLines: string[] },
  ) => Promise<
    void
  >,
): Promise<void> {
  const work = await Deno.makeTempDir({ prefix: "ctpf-starter-" });
  const store = SqliteStore.open(join(work, "ctpf.sqlite"));
  try {
    const boot = join(work, "boot"), ipxe = join(work, "ipxe");
    await Deno.mkdir(boot);
    await Deno.mkdir(ipxe);
    const logLines: string[] = [];
    await test({ boot, ipxe, state: new SqliteBofiedStateRepository(store), logLines });
  } finally {
    store.db.close();
    await Deno.remove(work, { recursive: true });
  }
}

function logger(lines: string[]) {
  return new LogSink({ level: "debug", format: "logfmt", write: (line) => lines.push(line) }).logger("test");
}

Deno.test("starter: an empty tree gets the iPXE binaries found and the menu, once", async () => {
  await withTrees(async ({ boot, ipxe, state, logLines }) => {
    const binaries = new Map(starterIpxeFiles.map((name, i) => [name, new Uint8Array([i, 1, 2, 3])]));
    for (const [name, bytes] of binaries) await Deno.writeFile(join(ipxe, name), bytes);
    const log = logger(logLines);
    const first = await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log });
    assertEquals([first.outcome, first.missing], ["installed", []]);
    assertEquals(await names(boot), ["ipxe.efi", "menu.ipxe", "snponly.efi", "undionly.kpxe"]);
    for (const [name, bytes] of binaries) assertEquals(await Deno.readFile(join(boot, name)), bytes);
    const menu = await Deno.readTextFile(join(boot, "menu.ipxe"));
    assertMatch(menu, /^#!ipxe\n/);
    assert(menu.includes(`echo ${starterMenuTitle}`), "the menu prints its title on the console");
    assert(!/https?:\/\/[a-z0-9]/i.test(menu.replace(/"http:\/\/\.\.\."/, "")), "no outside address");

    // The operator deletes a file and edits the menu: a later start changes neither.
    await Deno.remove(join(boot, "snponly.efi"));
    await Deno.writeTextFile(join(boot, "menu.ipxe"), "#!ipxe\nshell\n");
    const again = await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log });
    assertEquals(again, first, "the first start's decision stands");
    assertEquals(await names(boot), ["ipxe.efi", "menu.ipxe", "undionly.kpxe"]);
    assertEquals(await Deno.readTextFile(join(boot, "menu.ipxe")), "#!ipxe\nshell\n");

    // Even an emptied tree stays empty: only the first start installs.
    for (const name of await names(boot)) await Deno.remove(join(boot, name));
    await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log });
    assertEquals(await names(boot), []);
  });
});

Deno.test("starter: a tree that already holds files is left alone, and stays so once emptied", async () => {
  await withTrees(async ({ boot, ipxe, state, logLines }) => {
    await Deno.writeFile(join(ipxe, "ipxe.efi"), new Uint8Array([1]));
    await Deno.mkdir(join(boot, "images"));
    const log = logger(logLines);
    const record = await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log });
    assertEquals([record.outcome, record.copied], ["tree-not-empty", []]);
    assertEquals(await names(boot), ["images"]);
    await Deno.remove(join(boot, "images"));
    assertEquals(
      (await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log })).outcome,
      "tree-not-empty",
    );
    assertEquals(await names(boot), []);
  });
});

Deno.test("starter: missing iPXE binaries are reported, not fatal; the menu goes in", async () => {
  await withTrees(async ({ boot, ipxe, state, logLines }) => {
    await Deno.writeFile(join(ipxe, "undionly.kpxe"), new Uint8Array([7]));
    const record = await installStarterOnce({ bootRoot: boot, ipxeDir: ipxe, state, log: logger(logLines) });
    assertEquals([record.outcome, record.copied, record.missing], [
      "installed",
      ["undionly.kpxe", "menu.ipxe"],
      ["ipxe.efi", "snponly.efi"],
    ]);
    assertEquals(await names(boot), ["menu.ipxe", "undionly.kpxe"]);
    const warning = logLines.find((line) => line.includes("level=warn"));
    assertMatch(warning ?? "", /iPXE binaries missing.*missing=ipxe\.efi,snponly\.efi/);
    // Kept in the store: a later start reports the same without looking again.
    assertEquals(state.loadStarter()?.missing, ["ipxe.efi", "snponly.efi"]);
  });
});

// ipxe is a test package (scripts/setup.sh --test): without it this fails, naming it.
Deno.test("starter: Debian's ipxe package provides every binary the default rules hand out", async () => {
  await withTrees(async ({ boot, state, logLines }) => {
    const record = await installStarterOnce({ bootRoot: boot, state, log: logger(logLines) });
    assertEquals(record.missing, [], "apt-get install ipxe");
    for (const name of starterIpxeFiles) {
      assertEquals(await Deno.readFile(join(boot, name)), await Deno.readFile(join(debianIpxeDir, name)));
    }
  });
});
