// The syslinux kind on a test dockerd, in one build with both targets: its pxelinux menu, published into
// bofied's tree, PXE-boots a BIOS machine through necon + bofied (SeaBIOS, the iPXE ROM of its e1000 NIC
// as the PXE client, pxelinux.0 and everything after it over bofied's TFTP) to the initramfs marker; the
// synthetic installer ISO it remastered boots from a CD-ROM drive and, being hybrid, from a disk, its
// kernel showing the answer-file URL on its command line. Bad parameters are refused before anything runs
// and the identical second build is a cache hit.
import { join } from "node:path";
import { FieldErrors } from "../../core/errors/field_errors.ts";
import { syslinuxKind } from "../../core/builders/kinds/syslinux.ts";
import { finished, startBuilders } from "../../core/builders/testing/fixture.ts";
import { rootTest, withLab } from "../harness/mod.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../support/assert.ts";
import { bootPayload } from "../e2e/boot_payload.ts";
import { startCtpfOnTapLan } from "../e2e/edk2_boot.ts";
import { tapLan } from "../e2e/lan.ts";
import { startMachine, waitForBoot } from "../e2e/machine.ts";
import { allBooted, bootFromMedia, kernelCommandLine } from "../e2e/media_machine.ts";
import { serveInputs, syntheticInstallerIso } from "./support/inputs.ts";

/** The PXE client SeaBIOS runs (iPXE's ROM, user class "iPXE") gets pxelinux.0 like any BIOS client. */
const pxelinuxRules = `export default function bootRules(facts) {
  if (facts.arch.id === 0) return { tftpFile: "builds/lab/pxelinux.0" };
  return { ignore: true };
}
`;

const answerFileUrl = "http://10.66.0.1:8470/boot/answers/preseed.cfg";

rootTest({
  name:
    "builders (syslinux): pxelinux menu PXE-boots through necon + bofied; remastered ISO boots from CD and disk",
  tools: ["dockerd", "debootstrap", "unshare", "qemu-system-x86_64", "gcc", "dpkg-deb", "xorriso"],
  sanitizeResources: false,
  fn: async () => {
    const work = await Deno.makeTempDir({ prefix: "ctpf-syslinux-" });
    try {
      await using fixture = await startBuilders([syslinuxKind]);
      const { builders } = fixture;
      await syntheticInstallerIso(work);
      await using inputs = serveInputs(work);

      // Refused with every wrong field named, before anything is queued.
      const refused = assertThrows(
        () =>
          builders.create("syslinux", {
            name: "lab",
            targets: ["pxe", "iso"],
            entries: "marker|../etc/shadow",
            isoUrl: "http://x/a b.iso",
          }, "test"),
        FieldErrors,
      ) as FieldErrors;
      assertEquals(refused.errors.map((e) => e.field), ["parameters.isoUrl"]);
      const crossChecked = assertThrows(
        () =>
          builders.create("syslinux", {
            name: "lab",
            targets: ["pxe", "iso"],
            entries: "marker|../etc/shadow",
            isoUrl: inputs.url("synthetic-installer.iso"),
          }, "test"),
        FieldErrors,
      ) as FieldErrors;
      assertEquals(crossChecked.errors.map((e) => e.field), [
        "parameters.entries[0]",
        "parameters.answerFileUrl",
      ]);
      assertEquals(builders.list(), []);

      const parameters = {
        name: "lab",
        targets: ["pxe", "iso"],
        timeout: "1",
        // The default is not the first entry; its kernel and initrd are named from the TFTP root.
        entries: "other|vmlinuz-absent\nmarker|::payload/vmlinuz|::payload/initrd.img|console=ttyS0 panic=-1",
        defaultEntry: "marker",
        isoUrl: inputs.url("synthetic-installer.iso"),
        answerFileUrl,
        kernelArgs: "console=ttyS0 panic=-1",
      };
      const coldStart = performance.now();
      const first = await finished(builders, builders.create("syslinux", parameters, "test").id);
      const coldMs = performance.now() - coldStart;
      assertEquals(first.state, "succeeded", `${first.error}\n${first.steps.map((s) => s.log).join("\n")}`);
      assertEquals(first.artifacts.map((a) => a.name).sort(), [
        "lab.iso",
        "ldlinux.c32",
        "libcom32.c32",
        "libutil.c32",
        "menu.c32",
        "pxelinux.0",
        "pxelinux.cfg/default",
      ]);
      const base = first.steps.find((s) => s.name.startsWith("[base]"))!;
      assert(base.log.includes("docker import"), "a fresh daemon: the cold build imports the base image");
      const published = join(fixture.publisher.dir, "builds/lab");
      const iso = join(published, "lab.iso");

      // PXE: the published tree in bofied's boot tree, beside the payload its menu names.
      const pxeBoot = async () => {
        const started = performance.now();
        return await withLab(async (lab) => {
          const ns = await tapLan(lab);
          await using ctpf = await startCtpfOnTapLan(ns, work, "http://10.66.0.1:8470", async (data) => {
            const boot = `${data}/bofied/boot`;
            await Deno.mkdir(`${boot}/payload`, { recursive: true });
            await copyTree(fixture.publisher.dir, boot);
            const payload = await bootPayload();
            await Deno.copyFile(payload.kernel, `${boot}/payload/vmlinuz`);
            await Deno.copyFile(payload.initrd, `${boot}/payload/initrd.img`);
            await Deno.writeTextFile(`${data}/bofied/rules.ts`, pxelinuxRules);
          });
          const serial = `${work}/pxe-serial.log`;
          const qemu = startMachine(ns, "tap0", serial, "bios");
          try {
            await waitForBoot(serial, () => `ctpf:\n${ctpf.output()}`);
          } finally {
            await qemu.stop(5000);
          }
          const seconds = (performance.now() - started) / 1000;
          return { seconds, serial: await Deno.readTextFile(serial), log: ctpf.output() };
        });
      };
      // The remastered ISO: from a CD-ROM drive, and as a disk (the isohybrid MBR); beside the PXE boot.
      const isoBoot = (as: "cdrom" | "disk") =>
        bootFromMedia({ image: iso, as, firmware: "bios", work, label: `syslinux-iso-${as}` });
      const [pxe, cdrom, disk] = await allBooted([pxeBoot(), isoBoot("cdrom"), isoBoot("disk")]);

      // pxelinux (which names the kernel BOOT_IMAGE) started the default entry, not the first one.
      assertMatch(
        kernelCommandLine(pxe.serial) ?? "",
        /^BOOT_IMAGE=::payload\/vmlinuz console=ttyS0 panic=-1 initrd=::payload\/initrd\.img$/,
      );
      for (const file of ["pxelinux.0", "ldlinux.c32", "pxelinux.cfg/default", "menu.c32", "libutil.c32"]) {
        assertMatch(
          pxe.log,
          new RegExp(`msg="tftp sent" .*file=\\/builds\\/lab\\/${file.replace(".", "\\.")} `),
          file,
        );
      }
      assertMatch(pxe.log, /msg="tftp sent" .*file=\/payload\/initrd\.img /);
      for (const [as, boot] of [["cdrom", cdrom], ["disk", disk]] as const) {
        assertEquals(
          kernelCommandLine(boot.serial),
          "BOOT_IMAGE=/install.amd/vmlinuz auto=true priority=critical " +
            `preseed/url=${answerFileUrl} console=ttyS0 panic=-1 initrd=/install.amd/initrd.gz`,
          as,
        );
      }

      const warmStart = performance.now();
      const second = await finished(builders, builders.create("syslinux", parameters, "test").id);
      const warmMs = performance.now() - warmStart;
      assertEquals(second.state, "succeeded", second.error);
      const steps = second.steps.filter((s) =>
        /^\[(pxe|iso|stage-\d) \d+\/\d+\]/.test(s.name) && !s.name.includes("] FROM ")
      );
      assert(steps.length >= 5 && steps.every((s) => s.cached), JSON.stringify(second.steps, null, 1));
      assertEquals(second.artifacts.map((a) => a.sha256).sort(), first.artifacts.map((a) => a.sha256).sort());
      assertEquals(
        inputs.gets.get("/synthetic-installer.iso"),
        1,
        "the ISO was revalidated, not fetched again",
      );
      console.log(
        `syslinux (pxe + iso): cold build ${coldMs.toFixed(0)} ms (base image import included), ` +
          `cached ${warmMs.toFixed(0)} ms; boots side by side: PXE through necon + bofied ${
            pxe.seconds.toFixed(1)
          } s, ` +
          `CD ${cdrom.seconds.toFixed(1)} s, disk ${disk.seconds.toFixed(1)} s`,
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});

async function copyTree(from: string, to: string): Promise<void> {
  const output = await new Deno.Command("cp", { args: ["-R", `${from}/.`, to], stderr: "piped" }).output();
  if (!output.success) throw new Error(`cp: ${new TextDecoder().decode(output.stderr)}`);
}
