import { basename, dirname, join } from "node:path";
import { assertEquals, assertMatch, assertNotEquals } from "../../testing/assert.ts";
import { inventoryStateDir } from "./paths.ts";

const env = { HOME: "/home/me", XDG_DATA_HOME: "/home/me/data" };

Deno.test("inventoryStateDir: two folders holding the same file name get two state folders", () => {
  const lab = inventoryStateDir(env, "gloethdeployer", "/srv/lab/inventory.json", "mesh");
  const prod = inventoryStateDir(env, "gloethdeployer", "/srv/prod/inventory.json", "mesh");
  assertNotEquals(lab, prod);
  for (const folder of [lab, prod]) {
    assertEquals(dirname(folder), "/home/me/data/ctpf/gloethdeployer");
    assertMatch(basename(folder), /^inventory-[0-9a-f]{8}$/);
  }
});

Deno.test("inventoryStateDir: the same file, named relatively or absolutely, keeps its one state folder", async () => {
  const absolute = join(Deno.cwd(), "lab", "cluster.json");
  const byAbsolute = inventoryStateDir(env, "k3sdeployer", absolute, "cluster");
  assertEquals(inventoryStateDir(env, "k3sdeployer", "lab/./cluster.json", "cluster"), byAbsolute);
  assertEquals(inventoryStateDir(env, "k3sdeployer", "lab/../lab/cluster.json", "cluster"), byAbsolute);
  // Stable from run to run and from one release to the next: 8 hex digits of the SHA-256 of the path.
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode("/srv/lab/cluster.json")),
  );
  const hex = Array.from(digest.slice(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join("");
  assertEquals(
    inventoryStateDir(env, "k3sdeployer", "/srv/lab/cluster.json", "cluster"),
    `/home/me/data/ctpf/k3sdeployer/cluster-${hex}`,
  );
});
