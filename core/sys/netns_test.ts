import { assert, assertEquals, assertStrictEquals, assertThrows } from "../testing/assert.ts";
import { Lab } from "../testing/harness/lab.ts";
import { rootTest } from "../testing/harness/root.ts";
import { SysError } from "./errno.ts";
import { interfaceExists, interfaceIndex } from "./iface.ts";
import { netnsPath, withNetns } from "./netns.ts";

function currentNetns(): string {
  return Deno.readLinkSync("/proc/thread-self/ns/net");
}

rootTest("netns: withNetns runs sync code in the namespace and switches back", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  await lab.veth(ns, "only-here", ns, "only-here-b");
  const home = currentNetns();
  const inode = Deno.statSync(netnsPath(ns.name)).ino;

  const inside = withNetns(ns.name, () => ({
    netns: currentNetns(),
    index: interfaceIndex("only-here"),
    names: Deno.networkInterfaces().map((entry) => entry.name),
  }));
  assertStrictEquals(inside.netns, `net:[${inode}]`);
  assert(inside.index > 1);
  // Deno.networkInterfaces() reads the thread's namespace too: only the test namespace's loopback.
  assertEquals([...new Set(inside.names)], ["lo"]);
  assertStrictEquals(currentNetns(), home);
  assertStrictEquals(interfaceExists("only-here"), false);
  // The namespace path form works as well as the name.
  assertStrictEquals(withNetns(ns.path, () => interfaceIndex("only-here")), inside.index);
});

rootTest("netns: withNetns switches back when the callback throws", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  const home = currentNetns();
  assertThrows(() => withNetns(ns.name, () => interfaceIndex("missing0")), SysError);
  assertStrictEquals(currentNetns(), home);
});

rootTest("netns: withNetns refuses async callbacks and missing namespaces", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  const home = currentNetns();
  assertThrows(() => withNetns(ns.name, async () => {}), /must be synchronous/);
  assertStrictEquals(currentNetns(), home);
  assertThrows(
    () => withNetns("ctpf-no-such-netns", () => 1),
    (error: unknown) =>
      error instanceof SysError && error.code === "ENOENT" &&
      error.message.startsWith("open(/var/run/netns/ctpf-no-such-netns)"),
  );
  assertThrows(() => withNetns("../etc", () => 1), RangeError);
  assertStrictEquals(currentNetns(), home);
});
