// nodin's libvirt driver against a real libvirtd in a test namespace (libvirt_lab.ts): a diskless TCG
// domain defined, started, stopped (ACPI shutdown and destroy), reset, cycled, its boot device set and
// the domain removed by nodin; QEMU's own command line shows what libvirt made of it. The host's libvirt
// directories and cgroups are compared before and after.
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStrictEquals,
} from "../support/assert.ts";
import { isAlive, rootTest, run, waitFor, withLab } from "../harness/mod.ts";
import { PowerDriverError } from "../../core/nodin/power/driver.ts";
import { libvirtFactory } from "../../core/nodin/power/libvirt/driver.ts";
import { LibvirtDomains } from "../../core/nodin/power/libvirt/domains.ts";
import { LibvirtdLab, libvirtHostState } from "./libvirt_lab.ts";

function domainXml(name: string, tap: string, mac: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <interface type='ethernet'>
      <mac address='${mac}'/>
      <target dev='${tap}' managed='yes'/>
      <model type='e1000'/>
    </interface>
  </devices>
</domain>`;
}

async function cmdline(pid: number): Promise<string> {
  return (await Deno.readTextFile(`/proc/${pid}/cmdline`)).split("\0").join(" ");
}

rootTest({
  name:
    "libvirt driver: a diskless TCG domain defined, powered, booted from PXE, cycled and removed by nodin",
  tools: ["virsh", "libvirtd", "virtlogd", "qemu-system-x86_64"],
  fn: async () => {
    const hostBefore = await libvirtHostState();
    await withLab(async (lab) => {
      const ns = await lab.netns();
      await using libvirtd = await LibvirtdLab.start(ns);
      const name = `nodin-${crypto.randomUUID().slice(0, 8)}`;
      const tap = `nd${crypto.randomUUID().slice(0, 8)}`;
      const mac = "52:54:00:4e:0d:01";
      const domains = new LibvirtDomains(libvirtd.uri);
      await domains.define(domainXml(name, tap, mac));
      assert((await domains.list()).includes(name), "defined");

      const driver = libvirtFactory.create({
        driver: "libvirt",
        address: libvirtd.uri,
        options: { domain: name },
      }, undefined);
      const off = await driver.status();
      assertStrictEquals(off.state, "off");
      assertStrictEquals(off.evidence, `virsh -c ${libvirtd.uri} domstate ${name}: shut off`);

      // PXE first: libvirt turns <boot dev='network'/> into bootindex=1 on the NIC.
      await driver.setBootDevice!("pxe", { persistent: true, uefi: false });
      const defined = await run(["virsh", "-c", libvirtd.uri, "dumpxml", "--inactive", name]);
      assertMatch(defined.stdout, /<boot dev=['"]network['"]\/>/);

      await driver.act("on");
      assertStrictEquals((await driver.status()).state, "on");
      const [pid] = await libvirtd.qemuPids();
      assert(pid !== undefined, "libvirtd runs a QEMU");
      const line = await cmdline(pid);
      assertMatch(line, /-accel tcg|accel=tcg|-machine [^ ]*pc/);
      assertMatch(line, new RegExp(`"mac":"${mac}","bootindex":1`));
      // The tap is in the test namespace, not on the host.
      const link = await ns.ip("-br", "link", "show", tap);
      assertMatch(link.stdout, new RegExp(`^${tap}\\s`));

      // "on" when on is done, not an error.
      await driver.act("on");
      // ACPI shutdown is sent; a diskless guest has no OS to act on it, so it keeps running.
      await driver.act("soft-off");
      assertStrictEquals((await driver.status()).state, "on");
      // reset keeps the same QEMU process.
      await driver.act("reset");
      assertEquals(await libvirtd.qemuPids(), [pid]);

      await driver.act("off");
      assertStrictEquals((await driver.status()).state, "off");
      await waitFor(() => !isAlive(pid), { timeoutMs: 5_000, what: "QEMU gone after destroy" });

      // Boot from disk now; cycle (destroy + start) brings up a new QEMU with the NIC no longer first.
      await driver.act("on");
      const [second] = await libvirtd.qemuPids();
      await driver.setBootDevice!("disk", { persistent: true, uefi: false });
      const redefined = await run(["virsh", "-c", libvirtd.uri, "dumpxml", "--inactive", name]);
      assertMatch(redefined.stdout, /<boot dev=['"]hd['"]\/>/);
      assert(!/<boot dev=['"]network['"]/.test(redefined.stdout), "network is no longer a boot device");
      await driver.act("cycle");
      assertStrictEquals((await driver.status()).state, "on");
      const [third] = await libvirtd.qemuPids();
      assertNotEquals(third, second);
      assert(
        !new RegExp(`"mac":"${mac}","bootindex":1`).test(await cmdline(third)),
        "the NIC is no longer boot device 1",
      );

      const bios = await assertRejects(
        () => driver.setBootDevice!("bios", { persistent: true, uefi: false }),
        PowerDriverError,
      );
      assertStrictEquals((bios as PowerDriverError).kind, "unsupported");

      await domains.remove(name);
      assert(!(await domains.list()).includes(name), "removed");
      await waitFor(() => !isAlive(third), { timeoutMs: 5_000, what: "QEMU gone after remove" });
      const gone = await driver.status();
      assertStrictEquals(gone.state, "unknown");
      assertMatch(gone.evidence, /^refused: virsh .* domstate .*failed to get domain/);
      const error = await assertRejects(() => driver.act("on"), PowerDriverError);
      assertStrictEquals((error as PowerDriverError).kind, "refused");
    });
    // Every daemon and QEMU is gone and the host's libvirt directories and cgroups are as they were.
    assertEquals(await libvirtHostState(), hostBefore);
  },
});

rootTest({
  name:
    "libvirt driver: SASL credentials reach libvirtd through a private auth file; a wrong password is an auth error",
  tools: ["virsh", "libvirtd", "virtlogd", "saslpasswd2"],
  fn: async () => {
    await withLab(async (lab) => {
      const ns = await lab.netns();
      const sasl = { username: "nodin", password: "libvirt-s3cret" };
      await using libvirtd = await LibvirtdLab.start(ns, { sasl });
      const name = `nodin-${crypto.randomUUID().slice(0, 8)}`;
      const domains = new LibvirtDomains(libvirtd.uri, sasl);
      await domains.define(domainXml(name, `nd${crypto.randomUUID().slice(0, 8)}`, "52:54:00:4e:0d:02"));
      const bmc = { driver: "libvirt", address: libvirtd.uri, options: { domain: name, timeoutMs: "10000" } };

      const allowed = libvirtFactory.create(bmc, sasl);
      assertStrictEquals((await allowed.status()).state, "off");

      const wrong = libvirtFactory.create(bmc, { ...sasl, password: "wrong" });
      const error = await assertRejects(() => wrong.act("on"), PowerDriverError);
      assertStrictEquals((error as PowerDriverError).kind, "auth", error.message);
      assertMatch(error.message, /authentication failed/);
      const observed = await wrong.status();
      assertStrictEquals(observed.state, "unknown");
      assertMatch(observed.evidence, /^auth: virsh .*authentication failed/);
      // Without credentials virsh would prompt; with stdin closed it fails at once, never hangs.
      const none = await libvirtFactory.create(bmc, undefined).status();
      assertStrictEquals(none.state, "unknown");
      assertStrictEquals((await allowed.status()).state, "off");
      await domains.remove(name);
      // The auth files were private and temporary.
      const left = [...Deno.readDirSync(Deno.env.get("TMPDIR") ?? "/tmp")].filter((entry) =>
        entry.name.startsWith("nodin-libvirt-")
      );
      assertEquals(left, []);
    });
  },
});

Deno.test("libvirt driver: an unreachable libvirtd is 'unknown' with evidence, and actions say unreachable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-libvirt-none-" });
  try {
    const driver = libvirtFactory.create({
      driver: "libvirt",
      address: `qemu:///system?socket=${dir}/no-such-sock`,
      options: { domain: "nothing", timeoutMs: "5000" },
    }, undefined);
    const started = performance.now();
    const observed = await driver.status();
    assertStrictEquals(observed.state, "unknown");
    assertMatch(observed.evidence, /^unreachable: virsh .*(failed to connect|Failed to connect socket)/);
    assert(performance.now() - started < 5_000, "bounded");
    const error = await assertRejects(() => driver.act("off"), PowerDriverError);
    assertStrictEquals((error as PowerDriverError).kind, "unreachable");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
