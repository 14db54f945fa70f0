import { assert, assertEquals, assertMatch, assertRejects, assertStrictEquals } from "../assert.ts";
import { Lab, withLab } from "./lab.ts";
import { listNetns, sweepStaleNetns } from "./netns.ts";
import { run } from "./process.ts";
import { rootTest } from "./root.ts";
import { waitFor } from "./wait.ts";

/** Running, as opposed to gone or a zombie waiting for init (which reaps orphans when it gets to it). */
function isAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}

rootTest("lab: withLab deletes its namespaces even when the test body throws", async () => {
  let names: string[] = [];
  await assertRejects(
    withLab(async (lab) => {
      names = [(await lab.netns()).name, (await lab.netns()).name];
      assert((await listNetns()).includes(names[0]));
      throw new Error("test body failed");
    }),
    /test body failed/,
  );
  assertStrictEquals(names.length, 2);
  const remaining = await listNetns();
  for (const name of names) assert(!remaining.includes(name), `${name} left behind`);
});

rootTest({
  name: "lab: two namespaces joined by a veth ping each other, and disposal removes them",
  tools: ["ping"],
  fn: async () => {
    let names: string[];
    {
      await using lab = new Lab();
      const a = await lab.netns();
      const b = await lab.netns();
      names = [a.name, b.name];
      assertMatch(a.name, new RegExp(`^ctpf-t-${Deno.pid}-[0-9a-f]{4}-\\d+$`));
      await lab.veth(a, "va", b, "vb");
      await a.addAddress("va", "10.80.0.1/24");
      await b.addAddress("vb", "10.80.0.2/24");
      await a.up("va");
      await b.up("vb");
      const { stdout } = await a.run(["ping", "-c", "1", "-W", "3", "10.80.0.2"]);
      assertMatch(stdout, /1 received/);
    }
    const remaining = await listNetns();
    for (const name of names) assert(!remaining.includes(name), `${name} left behind`);
  },
});

rootTest("lab: bridges and TAPs are made inside the namespace only", async () => {
  await using lab = new Lab();
  const ns = await lab.netns();
  await ns.addBridge("br0");
  await ns.addTap("tp0");
  await ns.setMaster("tp0", "br0");
  await ns.up("br0");
  const { stdout } = await ns.ip("-j", "link", "show", "master", "br0");
  assertEquals((JSON.parse(stdout) as { ifname: string }[]).map((link) => link.ifname), ["tp0"]);
  assertMatch(await ns.mac("br0"), /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  // Nothing leaked into the root namespace.
  const root = await run(["ip", "link", "show", "dev", "tp0"], { check: false });
  assertStrictEquals(root.success, false);
});

rootTest("lab: background processes and what they fork are stopped by PID on cleanup", async () => {
  let shellPid = 0;
  let sleeperPid = 0;
  {
    await using lab = new Lab();
    const ns = await lab.netns();
    // The shell ignores SIGTERM, so cleanup has to escalate to SIGKILL.
    const process = ns.spawn(["sh", "-c", "trap '' TERM; sleep 60 & echo $!; wait"]);
    shellPid = process.pid;
    sleeperPid = await waitFor(() => Number(process.output().trim()) || undefined, { what: "forked pid" });
    assert(isAlive(shellPid) && isAlive(sleeperPid));
    assertStrictEquals(lab.processes.length, 1);
  }
  assertStrictEquals(isAlive(shellPid), false);
  assertStrictEquals(isAlive(sleeperPid), false);
});

rootTest("lab: sweepStaleNetns removes namespaces of dead test processes only", async () => {
  await using lab = new Lab();
  const mine = await lab.netns();
  const finished = new Deno.Command("true").spawn();
  await finished.status;
  const stale = `ctpf-t-${finished.pid}-0000-1`;
  await run(["ip", "netns", "add", stale]);
  try {
    const swept = await sweepStaleNetns();
    assert(swept.includes(stale));
    assert(!swept.includes(mine.name));
    const remaining = await listNetns();
    assert(!remaining.includes(stale));
    assert(remaining.includes(mine.name));
  } finally {
    await run(["ip", "netns", "delete", stale], { check: false });
  }
});

rootTest(
  "lab: a command in a test namespace that rewrites /etc/resolv.conf and /etc/hosts leaves the host's alone",
  async () => {
    const before = [await Deno.readFile("/etc/resolv.conf"), await Deno.readFile("/etc/hosts")];
    await withLab(async (lab) => {
      const ns = await lab.netns();
      // What a DHCP client's hook does: write the resolver, then read it back from inside.
      const inside = await ns.run([
        "sh",
        "-c",
        "echo 'nameserver 192.0.2.53' > /etc/resolv.conf && echo '192.0.2.1 hooked' >> /etc/hosts && cat /etc/resolv.conf",
      ]);
      assertStrictEquals(inside.stdout, "nameserver 192.0.2.53\n");
      // The program runs as the command itself (the shell exec'd it), so stopping it by PID stops it.
      const sleeper = ns.spawn(["sleep", "30"]);
      await waitFor(() => Deno.readTextFileSync(`/proc/${sleeper.pid}/comm`).trim() === "sleep", {
        what: "sleep in the shell's place",
        timeoutMs: 5_000,
      });
    });
    assertEquals([await Deno.readFile("/etc/resolv.conf"), await Deno.readFile("/etc/hosts")], before);
  },
);
