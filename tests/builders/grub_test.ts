// The grub kind end to end, on a test dockerd: one netboot build and one iso build, each built twice
// (the second a cache hit), and what they made booted under qemu TCG to the initramfs marker:
// - grubx64.efi through necon + bofied in a namespace, fetched by EDK2's own UEFI PXE client over TFTP,
//   its menu's default entry fetching kernel and initrd from bofied over TFTP;
// - core.0 the same way from SeaBIOS with the iPXE PXE ROM;
// - the remastered synthetic installer ISO under OVMF from a CD-ROM drive, the installer kernel's own
//   "Command line:" showing the answer-file URL.
import { join } from "node:path";
import { grubKind } from "../../core/builders/kinds/grub.ts";
import type { BuildRecord } from "../../core/builders/model.ts";
import { type BuildersFixture, finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { bootEdk2, prepareTree, startCtpfOnTapLan } from "../e2e/edk2_boot.ts";
import { tapLan } from "../e2e/lan.ts";
import { requireFirmware, startMachine, waitForBoot } from "../e2e/machine.ts";
import { bootFromMedia, kernelCommandLine } from "../e2e/media_machine.ts";
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { serveInputs, syntheticInstallerIso } from "./support/inputs.ts";

const HTTP = "http://10.66.0.1:8470";
const ANSWER_FILE = `${HTTP}/boot/preseed/lab.cfg`;

/** The build, run twice: the second must take every Dockerfile step from the cache and make the same files. */
async function buildTwice(fixture: BuildersFixture, label: string, parameters: Record<string, unknown>) {
  const time = async () => {
    const started = performance.now();
    const build = await finished(fixture.builders, fixture.builders.create("grub", parameters, "test").id);
    assertEquals(build.state, "succeeded", `${label}: ${build.error}\n${logs(build)}`);
    return { build, ms: performance.now() - started };
  };
  const cold = await time();
  const cached = await time();
  const steps = cached.build.steps.filter((s) =>
    /^\[(build|stage-1) /.test(s.name) && !s.name.includes("FROM")
  );
  assert(steps.length >= 3 && steps.every((s) => s.cached), `${label} rebuilt:\n${logs(cached.build)}`);
  assertEquals(
    cached.build.artifacts.map((a) => a.sha256).sort(),
    cold.build.artifacts.map((a) => a.sha256).sort(),
  );
  console.log(
    `grub ${label}: cold build ${cold.ms.toFixed(0)} ms, identical rebuild ${cached.ms.toFixed(0)} ms ` +
      `(${steps.length} Dockerfile steps cached, ${
        cached.build.artifacts.reduce((sum, a) => sum + a.size, 0)
      } ` +
      `bytes of artifacts copied out)`,
  );
  return cold.build;
}

const logs = (build: BuildRecord) =>
  build.steps.map((s) => `${s.name}${s.cached ? " (cached)" : ""}\n${s.log.slice(-2000)}`).join("\n");

rootTest({
  name: "builders (grub): netboot loaders boot UEFI (EDK2 PXE) and BIOS PXE machines through necon + " +
    "bofied, the remastered installer ISO boots under OVMF from a CD-ROM with the answer-file URL",
  tools: ["dockerd", "debootstrap", "unshare", "qemu-system-x86_64", "gcc", "dpkg-deb", "tcpdump", "xorriso"],
  sanitizeResources: false,
  async fn() {
    requireFirmware("uefi-pxe");
    requireFirmware("bios");
    const work = await Deno.makeTempDir({ prefix: "ctpf-grub-" });
    try {
      await using fixture = await startBuilders([grubKind]);
      await syntheticInstallerIso(work);
      await using inputs = serveInputs(work);

      // The default entry is the second: booting the first would fail on a missing kernel.
      const netboot = await buildTwice(fixture, "netboot", {
        name: "grub-lab",
        entries: "Broken|missing/vmlinuz||; CTPF test|vmlinuz|initrd.img|panic=-1",
        defaultEntry: "CTPF test",
        timeout: "1",
        kernelArgs: "ctpf.test=grub-netboot",
      });
      assertEquals(netboot.artifacts.map((a) => a.name).sort(), ["core.0", "grub.cfg", "grubx64.efi"]);
      const iso = await buildTwice(fixture, "iso", {
        name: "grub-auto",
        mode: "iso",
        isoUrl: inputs.url("synthetic-installer.iso"),
        answerFileUrl: ANSWER_FILE,
        kernelArgs: "panic=-1",
        timeout: "0",
      });
      assertEquals(iso.artifacts.map((a) => a.name).sort(), ["grub-auto.iso", "grub.cfg"]);
      // The rebuild revalidated the ISO (304) rather than fetching it again.
      assertEquals(inputs.gets.get("/synthetic-installer.iso"), 1);

      await bootNetboot(fixture, netboot, work);
      await bootIso(fixture, iso, work);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});

/** grubx64.efi under OVMF's own PXE client, then core.0 under SeaBIOS + iPXE's PXE ROM. */
async function bootNetboot(fixture: BuildersFixture, build: BuildRecord, work: string) {
  const data = join(work, "necon-data");
  for (const artifact of build.artifacts) {
    const target = join(data, "bofied", "boot", artifact.publishedPath!);
    await Deno.mkdir(join(target, ".."), { recursive: true });
    await Deno.copyFile(join(fixture.publisher.dir, artifact.publishedPath!), target);
  }
  // SeaBIOS's PXE client is the iPXE ROM of its NIC: it gets core.0 like any firmware, not a script.
  const files = { bios: "builds/grub-lab/core.0", uefi: "builds/grub-lab/grubx64.efi", ipxeScript: false };
  const expectBooted = async (serial: string) => {
    const log = await Deno.readTextFile(serial);
    // GRUB took the server from the DHCP answer the firmware got (necon's next server).
    assert(log.includes("CTPF: kernels from (tftp,10.66.0.1)"), `GRUB's boot server:\n${log.slice(0, 6000)}`);
    assert(log.includes("CTPF: loading CTPF test"), `GRUB booted its default entry:\n${log.slice(0, 6000)}`);
    const line = kernelCommandLine(log);
    assert(line, `no "Command line:" in ${serial}`);
    assert(line.includes("ctpf.test=grub-netboot") && line.includes("console=ttyS0,115200n8"), line);
  };
  const serveGrub = (dataDir: string, httpBase: string) => prepareTree(dataDir, httpBase, files);
  await withLab(async (lab) => {
    const ns = await tapLan(lab);
    const uefi = await bootEdk2({
      label: "grub-uefi",
      machineNs: ns,
      tap: "tap0",
      captureNs: ns,
      captureOn: "tap0",
      work,
      bootFile: files.uefi,
      start: () => startCtpfOnTapLan(ns, work, HTTP, serveGrub),
    });
    assert(uefi.exchange.discoverToTftp !== undefined, "the firmware fetched grubx64.efi over TFTP");
    await expectBooted(join(work, "grub-uefi-serial.log"));

    await using ctpf = await startCtpfOnTapLan(ns, work, HTTP, serveGrub);
    const serial = join(work, "grub-bios-serial.log");
    const started = performance.now();
    const qemu = startMachine(ns, "tap0", serial, "bios");
    try {
      await waitForBoot(serial, () => `ctpf:\n${ctpf.output()}`);
    } finally {
      await qemu.stop(5000);
    }
    console.log(`grub-bios: core.0 booted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await expectBooted(serial);
  });
}

/**
 * The ISO's boot records, read with xorriso: one El Torito image, for UEFI, and the same ESP as GPT
 * partition 2 (EFI System type) for USB sticks; the installer's files and the config kept inside.
 */
async function checkIsoLayout(iso: string) {
  const output = await new Deno.Command("xorriso", {
    args: [
      "-indev",
      iso,
      "-report_el_torito",
      "plain",
      "-report_system_area",
      "plain",
      "-find",
      "/",
      "-type",
      "f",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = new TextDecoder().decode(output.stdout);
  assert(output.success, new TextDecoder().decode(output.stderr));
  const images = report.split("\n").filter((line) => line.startsWith("El Torito boot img :"));
  assertEquals(images.length, 1, report);
  assertMatch(images[0], /:\s+1\s+UEFI\s+y\s+none\s/);
  // EFI System Partition's type GUID, as xorriso prints it (mixed-endian bytes).
  assertMatch(report, /GPT type GUID\s+:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
  for (const file of ["/install.amd/vmlinuz", "/install.amd/initrd.gz", "/README.txt", "/ctpf/grub.cfg"]) {
    assert(report.includes(`'${file}'`), `${file} in the ISO:\n${report}`);
  }
}

/** The remastered ISO from an IDE CD-ROM drive under OVMF, no network. */
async function bootIso(fixture: BuildersFixture, build: BuildRecord, work: string) {
  const artifact = build.artifacts.find((a) => a.name.endsWith(".iso"))!;
  const iso = join(work, artifact.name);
  await Deno.writeFile(iso, (await fixture.artifacts.read(artifact.sha256))!);
  await checkIsoLayout(iso);
  const boot = await bootFromMedia({ image: iso, as: "cdrom", firmware: "uefi", work, label: "grub-iso" });
  const line = kernelCommandLine(boot.serial) ?? "";
  assert(line.includes(`auto=true priority=critical preseed/url=${ANSWER_FILE}`), line);
  assert(line.includes("BOOT_IMAGE=/install.amd/vmlinuz"), line);
}
